package io.wabot;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.testing.CapturedProcess;
import io.wabot.testing.JarProcess;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.RedisServer;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Starts the packaged jar exactly as the docs do: {@code java @conf/jvm.options -jar target/whatsapp-chatbot.jar}. */
class ServiceProcessIT {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  @TempDir
  Path logs;

  private JarProcess launch(Map<String, String> env) {
    return JarProcess.start(env, logs.resolve("stdout"), logs.resolve("stderr"));
  }

  private String stdout() throws IOException {
    return new CapturedProcess(logs).stdout();
  }

  private String stderr() throws IOException {
    return new CapturedProcess(logs).stderr();
  }

  @Test
  @DisplayName("started with nothing set, the jar exits non-zero within seconds naming the four credentials")
  void failsFastWithoutCredentials() throws Exception {
    long started = System.nanoTime();
    Process process;
    try (JarProcess jar = launch(Map.of())) {
      process = jar.process();
      assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("exited").isTrue();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    assertThat(process.exitValue()).isEqualTo(Main.EXIT_CONFIG);

    List<String> lines = stderr().lines().toList();
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("WHATSAPP_ACCESS_TOKEN: is missing"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("WHATSAPP_PHONE_NUMBER_ID: is missing"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("WHATSAPP_APP_SECRET: is missing"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("WHATSAPP_VERIFY_TOKEN: is missing"));
  }

  @Test
  @DisplayName("with its port taken, the jar exits 1 with one line naming HTTP_PORT and the port, no stack trace")
  void portTaken() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Map<String, String> env = TestApps.liveEnv(REDIS.url());
      env.put("HTTP_PORT", Integer.toString(taken.getLocalPort()));
      env.put("HTTP_HOST", "127.0.0.1");
      try (JarProcess jar = launch(env)) {
        assertThat(jar.process().waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(jar.process().exitValue()).isEqualTo(Main.EXIT_START_FAILED);
      }
      assertThat(stderr().lines().toList()).singleElement().asString()
          .startsWith("whatsapp-chatbot cannot start: HTTP_PORT: port " + taken.getLocalPort() + " on 127.0.0.1 is already in use")
          .contains("e.g. HTTP_PORT=");
      assertThat(stdout()).doesNotContain("\tat ").doesNotContain("BindException\",\"stack");
    }
  }

  @Test
  @DisplayName("in the text log format config.loaded is one short line; the settings stay in the JSON format")
  void shortSettingsLineInText() throws Exception {
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    env.put("HTTP_PORT", Integer.toString(RedisServer.freePort()));
    env.put("LOG_FORMAT", "text");
    try (JarProcess jar = launch(env)) {
      poll("the service started").atMost(Duration.ofSeconds(20)).until(() -> stdout().contains("service.started"));
      jar.stop(); // its log is complete once it has stopped
    }
    String loaded = stdout().lines().filter(l -> l.contains("event=\"config.loaded\"")).findFirst().orElseThrow();
    assertThat(loaded).hasSizeLessThan(300).containsPattern("settings=\"\\d+ entries; LOG_LEVEL=DEBUG or LOG_FORMAT=json lists them\"")
        .doesNotContain("whatsapp.accessToken");
  }

  @Test
  @DisplayName("a REDIS_URL with a database that is not a number stops start-up with one configuration line, exit 78, no stack trace")
  void malformedRedisUrl() throws Exception {
    Map<String, String> env = TestApps.liveEnv("redis://:hunter2secret@127.0.0.1:6379/abc");
    try (JarProcess jar = launch(env)) {
      assertThat(jar.process().waitFor(15, TimeUnit.SECONDS)).as("exited").isTrue();
      assertThat(jar.process().exitValue()).isEqualTo(Main.EXIT_CONFIG);
    }
    assertThat(stderr().lines().toList()).containsExactly(
        "whatsapp-chatbot cannot start: 1 configuration problem(s)",
        "  REDIS_URL: selects database \"abc\"; a database is a number, e.g. /0 (set in the environment)."
            + " Example: REDIS_URL=redis://localhost:6379");
    assertThat(stdout() + stderr()).doesNotContain("hunter2secret").doesNotContain("Exception");
  }

  @Test
  @DisplayName("a BOT_DEFINITION that names no class on the class path stops start-up with one line naming the registered bot, exit 78")
  void unknownBot() throws Exception {
    Map<String, String> env = TestApps.liveEnv("redis://127.0.0.1:6379");
    env.put("BOT_DEFINITION", "com.acme.shop.ShopBot");
    try (JarProcess jar = launch(env)) {
      assertThat(jar.process().waitFor(15, TimeUnit.SECONDS)).as("exited").isTrue();
      assertThat(jar.process().exitValue()).isEqualTo(Main.EXIT_CONFIG);
    }
    assertThat(stderr().lines().toList()).containsExactly(
        "whatsapp-chatbot cannot start: 1 configuration problem(s)",
        "  BOT_DEFINITION: no class com.acme.shop.ShopBot on the class path (registered: io.wabot.example.sales.SalesBot)");
    assertThat(stdout() + stderr()).doesNotContain("Exception");
  }

  @Test
  @DisplayName("configured, it logs JSON with masked secrets, answers live and ready, and stops cleanly on SIGTERM")
  void startsAndStops() throws Exception {
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    int port = RedisServer.freePort();
    env.put("HTTP_PORT", Integer.toString(port));
    try (JarProcess jar = launch(env)) {
      jar.awaitReady(port, Duration.ofSeconds(20));
      assertThat(Webhooks.get(port, "/health/live").statusCode()).isEqualTo(200);
      jar.process().destroy(); // SIGTERM
      assertThat(jar.process().waitFor(10, TimeUnit.SECONDS)).as("stopped within the 5 s budget plus JVM exit").isTrue();
    }

    List<JsonObject> events = stdout().lines().map(JsonObject::new).toList();
    assertThat(events).allSatisfy(e -> assertThat(e.fieldNames()).contains("dt", "level", "logger", "message"));
    JsonObject settings = events.stream().filter(e -> "config.loaded".equals(e.getString("event"))).findFirst()
        .orElseThrow().getJsonObject("settings");
    assertThat(settings.getString("whatsapp.accessToken")).isEqualTo("****0001 (env)");
    assertThat(settings.getString("http.port")).isEqualTo(port + " (env)");
    assertThat(events).anySatisfy(e -> assertThat(e.getString("event")).isEqualTo("service.started"));
    assertThat(events).last().satisfies(e -> assertThat(e.getString("event")).isEqualTo("service.stopped"));

    String everything = stdout() + stderr();
    for (String secret : List.of(TestApps.ACCESS_TOKEN, TestApps.APP_SECRET, TestApps.VERIFY_TOKEN)) {
      assertThat(everything).doesNotContain(secret);
    }
  }
}
