package io.wabot.observability;

import static io.wabot.testing.TestApps.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.testing.FakeBetterStack;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole service with Better Stack configured, against fakes of the ingestion endpoint and of an
 * Uptime heartbeat: what an observability lead would see arrive.
 */
class ObservabilityTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  private Vertx fakes;
  private FakeBetterStack betterStack;
  private HttpServer heartbeatServer;
  private final List<String> heartbeats = new CopyOnWriteArrayList<>();
  private Application app;

  @BeforeEach
  void start() throws Exception {
    fakes = Vertx.vertx();
    betterStack = FakeBetterStack.start(fakes);
    heartbeatServer = fakes.createHttpServer().requestHandler(req -> {
      heartbeats.add(req.path());
      req.response().end("OK");
    });
    heartbeatServer.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    env.put("BETTERSTACK_SOURCE_TOKEN", FakeBetterStack.TOKEN);
    env.put("BETTERSTACK_INGEST_URL", betterStack.url());
    env.put("BETTERSTACK_HEARTBEAT_URL", "http://127.0.0.1:" + heartbeatServer.actualPort() + "/api/v1/heartbeat/hb-token");
    JsonObject overrides = new JsonObject()
        .put("betterstack", new JsonObject().put("flushInterval", "100ms").put("heartbeatInterval", "100ms"))
        .put("alerts", new JsonObject().put("interval", "1m").put("checkInterval", "100ms")
            .put("redisPingInterval", "100ms").put("redisFailedPings", 2));
    app = TestApps.start(TestApps.config(env, overrides));
  }

  @AfterEach
  void stop() throws Exception {
    TestApps.stop(app);
    fakes.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private List<JsonObject> shipped(String event) {
    return betterStack.events().stream().filter(e -> event.equals(e.getString("event"))).toList();
  }

  private List<JsonObject> shippedAlerts(String event, String alert) {
    return shipped(event).stream().filter(e -> alert.equals(e.getString("alert"))).toList();
  }

  @Test
  @DisplayName("the service's own events reach Better Stack in the stdout shape")
  void startupEventsShipped() throws Exception {
    assertThat(eventually(() -> !shipped("service.started").isEmpty())).isTrue();
    JsonObject started = shipped("service.started").get(0);
    assertThat(started.fieldNames()).contains("dt", "level", "logger", "message", "thread", "port", "mode");
    assertThat(started.getString("level")).isEqualTo("INFO");
  }

  @Test
  @DisplayName("a hundred breaker-open signals reach Better Stack as one error event with alert=circuit_open, then one resolved event")
  void alertsDedupedAndShipped() throws Exception {
    for (int i = 0; i < 100; i++) {
      Alerts.fire(app.vertx().eventBus(), Alerts.CIRCUIT_OPEN, "the Graph API circuit breaker is open",
          new JsonObject().put("failures", 5));
    }
    Alerts.resolve(app.vertx().eventBus(), Alerts.CIRCUIT_OPEN, "the Graph API circuit breaker closed");

    assertThat(eventually(() -> shippedAlerts("alert.resolved", Alerts.CIRCUIT_OPEN).size() == 1)).isTrue();
    assertThat(shippedAlerts("alert.fired", Alerts.CIRCUIT_OPEN)).singleElement().satisfies(e -> {
      assertThat(e.getString("level")).isEqualTo("ERROR");
      assertThat(e.getBoolean("resolved")).isFalse();
      assertThat(e.getInteger("failures")).isEqualTo(5);
    });
    assertThat(shippedAlerts("alert.resolved", Alerts.CIRCUIT_OPEN).get(0).getBoolean("resolved")).isTrue();
  }

  @Test
  @DisplayName("Redis going away raises redis_unavailable once and the heartbeat reports /fail; both recover when Redis is back")
  void redisOutage() throws Exception {
    assertThat(eventually(() -> heartbeats.contains("/api/v1/heartbeat/hb-token"))).isTrue();

    REDIS.server().kill();
    assertThat(eventually(() -> shippedAlerts("alert.fired", Alerts.REDIS_UNAVAILABLE).size() == 1)).isTrue();
    assertThat(eventually(() -> heartbeats.contains("/api/v1/heartbeat/hb-token/fail"))).isTrue();
    int pingsSoFar = heartbeats.size();
    assertThat(eventually(() -> heartbeats.size() >= pingsSoFar + 5)).as("time passes, pings go on").isTrue();
    assertThat(shippedAlerts("alert.fired", Alerts.REDIS_UNAVAILABLE)).as("still one alert").hasSize(1);

    REDIS.server().start();
    assertThat(eventually(() -> shippedAlerts("alert.resolved", Alerts.REDIS_UNAVAILABLE).size() == 1)).isTrue();
    heartbeats.clear();
    assertThat(eventually(() -> heartbeats.contains("/api/v1/heartbeat/hb-token"))).isTrue();
  }

  @Test
  @DisplayName("GET /metrics answers Prometheus text with JVM, HTTP server, RSS and log shipping meters")
  void metricsEndpoint() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    String base = "http://127.0.0.1:" + app.httpPort();
    http.send(HttpRequest.newBuilder(URI.create(base + "/health/live")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_gc_")
        .contains("jvm_threads_live_threads")
        .contains("vertx_http_server_requests_total{")
        .contains("route=\"/health/live\"")
        .containsPattern("(?m)^wabot_process_rss_bytes [0-9.E]+$")
        .contains("wabot_log_buffer_events")
        .contains("wabot_log_dropped_total{reason=\"buffer_full\"}")
        .contains("wabot_log_shipped_total");
    assertThat(metrics.body()).doesNotContain("wabot_process_rss_bytes -1");
  }
}
