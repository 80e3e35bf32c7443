package io.wabot.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.testing.HeadlessChrome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The benchmark itself, kept working: builds the benchmark module (running its own unit tests), plays
 * a short load against the real jar, and opens the report in a headless browser. Leaves
 * {@code target/benchmark-report.png} for people to look at. The independent client (Node) too.
 */
class BenchmarkIT {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path OUT = ROOT.resolve("target/benchmark-it");

  @TempDir
  Path profile;

  @Test
  @DisplayName("a short load run walks the whole sales conversation, loses nothing, and its report shows charts in a browser")
  void shortLoadRun() throws Exception {
    Path log = Files.createDirectories(ROOT.resolve("target")).resolve("benchmark-it-build.log");
    int built = run(List.of("mvn", "-q", "-B", "-f", "benchmark/pom.xml", "package"), log, Duration.ofMinutes(5));
    assertThat(built).as("mvn -f benchmark/pom.xml package (see %s)", log).isZero();

    Path output = ROOT.resolve("target/benchmark-it.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    int status = run(List.of(java, "-Xmx256m", "-Dbenchmark.root=" + ROOT, "-jar", "benchmark/target/benchmark.jar", "load",
        "--conversations", "5", "--warmup", "3s", "--duration", "8s", "--think", "200ms", "--out", OUT.toString()), output,
        Duration.ofMinutes(3));
    String printed = Files.readString(output);
    assertThat(status).as("benchmark exit status; it printed:%n%s", printed).isZero();
    assertThat(printed).contains("Benchmark load: 5 conversations").contains("p95").contains("peak RSS");

    JsonObject results = new JsonObject(Files.readString(OUT.resolve("results.json")));
    JsonObject measured = results.getJsonObject("measured");
    assertThat(measured.getLong("answered")).isGreaterThanOrEqualTo(20);
    assertThat(measured.getLong("lost")).isZero();
    assertThat(measured.getLong("webhook_errors")).isZero();
    assertThat(measured.getJsonObject("steps").fieldNames()).as("every step of the sales script was answered")
        .containsExactlyInAnyOrder("greeting", "browse", "category", "item", "search", "out-of-stock", "escalation", "menu");
    assertThat(measured.getJsonObject("latency_ms").getDouble("p50")).isPositive();
    assertThat(results.getJsonObject("graph_api").getLong("messages_read_twice")).isZero();
    assertThat(results.getJsonObject("graph_api").getLong("rejected")).as("the bot signed in with the right token and path").isZero();
    assertThat(results.getJsonObject("settings").getLong("graph_latency_ms")).as("Meta's latency by default").isEqualTo(200);
    assertThat(measured.getDouble("bot_cpu_ms_per_message")).isPositive();
    JsonObject redis = results.getJsonObject("redis");
    assertThat(redis.getDouble("commands_per_message")).as("counted from INFO commandstats").isGreaterThan(1.0);
    assertThat(redis.getJsonObject("commands_per_message_by_name").fieldNames()).as("the bot's own commands only").doesNotContain("info", "dbsize");
    assertThat(redis.getLong("bytes_per_message_kept")).isPositive().isLessThanOrEqualTo(redis.getLong("bytes_per_message"));
    assertThat(redis.getJsonArray("key_families")).as("some records outlive the two days")
        .anySatisfy(f -> assertThat(((JsonObject) f).getLong("kept_keys")).isPositive());
    JsonObject node = results.getJsonObject("bot").getJsonArray("nodes").getJsonObject(0);
    assertThat(node.getDouble("peak_rss_mb")).isBetween(40.0, 400.0);
    assertThat(node.getBoolean("up_at_end")).isTrue();

    ChromeDriver browser = HeadlessChrome.start(profile, 900, 1800);
    try {
      browser.get(OUT.resolve("report.html").toUri().toString());
      assertThat(browser.findElements(By.cssSelector("svg"))).hasSize(3).allSatisfy(svg -> {
        assertThat(svg.isDisplayed()).isTrue();
        assertThat(svg.getSize().getWidth()).isGreaterThan(600);
      });
      assertThat(browser.findElements(By.cssSelector("svg path"))).as("lines drawn").isNotEmpty();
      assertThat(browser.findElement(By.id("targets")).getText()).contains("p95 ≤ 50 ms").contains("nothing lost");
      assertThat(browser.findElement(By.id("steps")).getText()).contains("out-of-stock");
      assertThat(browser.findElement(By.id("redis")).getText()).contains("kept");
      Files.write(ROOT.resolve("target/benchmark-report.png"), browser.getScreenshotAs(OutputType.BYTES));
    } finally {
      browser.quit();
    }
  }

  @Test
  @DisplayName("the independent client, in Node, drives the real jar on a new connection per webhook and sees every message answered once")
  void independentClient() throws Exception {
    Path out = ROOT.resolve("target/independent-it");
    Path output = ROOT.resolve("target/independent-it.log");
    int status = run(List.of("node", "benchmark/independent-client.mjs", "--customers", "5", "--rounds", "3", "--warmup", "0s",
        "--graph-latency", "50ms", "--out", out.toString()), output, Duration.ofMinutes(3));
    String printed = Files.readString(output);
    assertThat(status).as("independent client exit status; it printed:%n%s", printed).isZero();
    assertThat(printed).contains("p50").contains("msg/s");

    JsonObject results = new JsonObject(Files.readString(out.resolve("results.json")));
    assertThat(results.getLong("messages_posted")).isEqualTo(5 * 3 * 2);
    assertThat(results.getJsonObject("errors").getLong("total")).isZero();
    assertThat(results.getJsonObject("latency_ms").getLong("count")).isPositive();
    assertThat(results.getJsonObject("latency_ms").getDouble("p50")).isPositive();
    assertThat(results.getJsonObject("graph_api").getLong("read_receipts")).as("each message marked read once").isEqualTo(30);
    assertThat(results.getJsonObject("graph_api").getLong("replies")).isGreaterThanOrEqualTo(30);
    assertThat(results.getDouble("bot_cpu_cores")).isPositive();
    assertThat(out.resolve("bot.log")).isNotEmptyFile();

    Path reference = ROOT.resolve("target/independent-stateless-it");
    int statelessStatus = run(List.of("node", "benchmark/independent-client.mjs", "--stateless", "--customers", "5", "--rounds", "3",
        "--warmup", "0s", "--graph-latency", "50ms", "--out", reference.toString()), output, Duration.ofMinutes(1));
    assertThat(statelessStatus).as("stateless reference; the client printed:%n%s", Files.readString(output)).isZero();
    JsonObject stateless = new JsonObject(Files.readString(reference.resolve("results.json")));
    assertThat(stateless.getString("server")).isEqualTo("stateless reference");
    assertThat(stateless.getJsonObject("errors").getLong("total")).isZero();
    assertThat(stateless.getJsonObject("graph_api").getLong("read_receipts")).isEqualTo(30);

    int refused = run(List.of("node", "benchmark/independent-client.mjs", "--customers", "0", "--bogus"), output, Duration.ofSeconds(30));
    assertThat(refused).isEqualTo(2);
    assertThat(Files.readAllLines(output)).containsExactly(
        "benchmark/independent-client.mjs: --customers: '0' is not a whole number of at least 1, e.g. 50",
        "benchmark/independent-client.mjs: --bogus: unknown argument (see --help)");
  }

  private static int run(List<String> command, Path output, Duration timeout) throws Exception {
    Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + "; see " + output);
    }
    return process.exitValue();
  }
}
