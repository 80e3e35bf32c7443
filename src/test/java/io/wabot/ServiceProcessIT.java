package io.wabot;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.testing.JarProcess;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.RedisServer;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
    return Files.readString(logs.resolve("stdout"));
  }

  private String stderr() throws IOException {
    return Files.readString(logs.resolve("stderr"));
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
