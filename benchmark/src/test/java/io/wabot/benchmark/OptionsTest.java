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
