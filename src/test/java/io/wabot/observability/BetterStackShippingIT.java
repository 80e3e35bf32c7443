package io.wabot.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wabot.testing.FakeBetterStack;
import io.wabot.testing.Futures;
import io.wabot.testing.JarProcess;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.RedisServer;
import io.wabot.testing.TestApps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, with its production logback.xml, shipping to a fake Better Stack. */
class BetterStackShippingIT {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  @TempDir
  Path logs;

  private Vertx vertx;
  private FakeBetterStack betterStack;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    betterStack = FakeBetterStack.start(vertx);
  }

  @AfterEach
  void stop() {
    Futures.await(vertx.close());
  }

  private List<String> shippedEvents() {
    return betterStack.events().stream().map(e -> e.getString("event", "")).toList();
  }

  @Test
  @DisplayName("with a source token the jar ships its events, start-up to shutdown, gzipped and masked, and stdout keeps the same JSON")
  void shipsFromStartToStop() throws Exception {
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    int port = RedisServer.freePort();
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("BETTERSTACK_SOURCE_TOKEN", FakeBetterStack.TOKEN);
    env.put("BETTERSTACK_INGEST_URL", betterStack.url());
    try (JarProcess jar = JarProcess.start(env, logs.resolve("stdout"), logs.resolve("stderr"))) {
      jar.awaitReady(port, Duration.ofSeconds(20));
      betterStack.awaitEvent("service.started");
      jar.process().destroy(); // SIGTERM
      assertThat(jar.process().waitFor(15, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(shippedEvents()).contains("config.loaded", "log.shipping_on", "service.started", "service.stopping");
    assertThat(betterStack.requests()).allSatisfy(r -> {
      assertThat(r.headers().get("Content-Encoding")).isEqualTo("gzip");
      assertThat(r.status()).isEqualTo(202);
    });
    JsonObject settings = betterStack.events().stream().filter(e -> "config.loaded".equals(e.getString("event")))
        .findFirst().orElseThrow().getJsonObject("settings");
    assertThat(settings.getString("betterstack.sourceToken")).startsWith("****").doesNotContain(FakeBetterStack.TOKEN);

    String stdout = Files.readString(logs.resolve("stdout"));
    JsonObject startedOnStdout = stdout.lines().map(JsonObject::new)
        .filter(e -> "service.started".equals(e.getString("event"))).findFirst().orElseThrow();
    JsonObject startedShipped = betterStack.events().stream()
        .filter(e -> "service.started".equals(e.getString("event"))).findFirst().orElseThrow();
    assertThat(startedShipped.fieldNames()).isEqualTo(startedOnStdout.fieldNames());
    assertThat(stdout + Files.readString(logs.resolve("stderr"))).doesNotContain(FakeBetterStack.TOKEN);
  }
}
