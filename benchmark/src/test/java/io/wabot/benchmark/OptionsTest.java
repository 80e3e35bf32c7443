package io.wabot.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsTest {

  private static final Path ROOT = Path.of("/repo");

  @Test
  void defaultsFollowTheMode() {
    Options load = Options.parse(new String[] {}, ROOT);
    assertThat(load.mode()).isEqualTo(Options.Mode.LOAD);
    assertThat(load.conversations()).isEqualTo(50);
    assertThat(load.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(load.maxMessagesPerSecond()).isEqualTo(1_000);
    assertThat(load.graphLatency()).as("Meta's typical answer time").isEqualTo(Duration.ofMillis(200));
    assertThat(load.keptAfter()).isEqualTo(Duration.ofDays(2));
    assertThat(load.compare()).isNull();
    assertThat(load.jar()).isEqualTo(ROOT.resolve("target/whatsapp-chatbot.jar"));
    assertThat(load.out().toString()).startsWith("/repo/target/benchmark/load-");

    Options soak = Options.parse(new String[] {"soak"}, ROOT);
    assertThat(soak.duration()).isEqualTo(Duration.ofMinutes(10));
    Options saturation = Options.parse(new String[] {"saturation"}, ROOT);
    assertThat(saturation.maxMessagesPerSecond()).isEqualTo(100_000);
  }

  @Test
  void readsValuesAndFlags() {
    Options o = Options.parse(new String[] {"saturation", "--nodes", "2", "--think", "250ms", "--stage", "5s", "--profile",
        "--rate-start", "50", "--out", "/tmp/x"}, ROOT);
    assertThat(o.nodes()).isEqualTo(2);
    assertThat(o.think()).isEqualTo(Duration.ofMillis(250));
    assertThat(o.stage()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.profile()).isTrue();
    assertThat(o.rateStart()).isEqualTo(50);
    assertThat(o.out()).isEqualTo(Path.of("/tmp/x"));
    assertThat(Options.parse(new String[] {"--graph-latency", "0"}, ROOT).graphLatency()).isZero();
    assertThat(Options.parse(new String[] {"--kept-after", "3d"}, ROOT).keptAfter()).isEqualTo(Duration.ofDays(3));
  }

  @Test
  void compareTakesARefAndPairsOfRuns() {
    Options o = Options.parse(new String[] {"saturation", "--compare", "main", "--repeat", "3", "--max-mps", "1000"}, ROOT);
    assertThat(o.compare()).isEqualTo("main");
    assertThat(o.repeat()).isEqualTo(3);
    assertThat(o.maxMessagesPerSecond()).isEqualTo(1_000);
    assertThat(o.out().toString()).startsWith("/repo/target/benchmark/compare-saturation-");
    assertThat(Options.parse(new String[] {"--compare", "HEAD~1"}, ROOT).repeat()).isEqualTo(2);

    Options ref = o.forBot(Path.of("/builds/abc"), Path.of("/builds/abc/target/whatsapp-chatbot.jar"), Path.of("/tmp/1-ref"));
    assertThat(ref.root()).isEqualTo(Path.of("/builds/abc"));
    assertThat(ref.jar()).isEqualTo(Path.of("/builds/abc/target/whatsapp-chatbot.jar"));
    assertThat(ref.out()).isEqualTo(Path.of("/tmp/1-ref"));
    assertThat(ref.compare()).as("a run of a comparison is a plain run").isNull();
    assertThat(ref.mode()).isEqualTo(Options.Mode.SATURATION);
    assertThat(ref.maxMessagesPerSecond()).isEqualTo(1_000);
  }

  @Test
  void repeatNeedsCompare() {
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> Options.parse(new String[] {"--repeat", "2"}, ROOT)).getMessage())
        .isEqualTo("--repeat: only with --compare REF, e.g. --compare main --repeat 2");
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> Options.parse(new String[] {"--compare"}, ROOT)).getMessage())
        .isEqualTo("--compare: needs a value (see --help)");
  }

  @Test
  void reportsEveryProblemOneLineEach() {
    IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--bogus", "--think", "soon", "--conversations", "0", "--nodes", "two", "--duration"}, ROOT));
    assertThat(e.getMessage().lines()).containsExactly(
        "--bogus: unknown argument (see --help)",
        "--think: 'soon' is not a duration, e.g. 500ms, 30s, 10m",
        "--conversations: must be at least 1, got 0",
        "--nodes: 'two' is not a whole number",
        "--duration: needs a value (see --help)");
  }
}
