package io.wabot.observability;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.testing.FakeBetterStack;
import io.wabot.testing.Http;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.testing.WaitableList;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

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
  private final WaitableList<String> heartbeats = new WaitableList<>();
  private Application app;

  @BeforeEach
  void start() {
    fakes = Vertx.vertx();
    betterStack = FakeBetterStack.start(fakes);
    heartbeatServer = fakes.createHttpServer().requestHandler(req -> {
      heartbeats.add(req.path());
      req.response().end("OK");
    });
    await(heartbeatServer.listen(0, "127.0.0.1"));

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
  void stop() {
    TestApps.stop(app);
    await(fakes.close());
  }

  private List<JsonObject> shipped(String event) {
    return betterStack.events().stream().filter(e -> event.equals(e.getString("event"))).toList();
  }

  private List<JsonObject> shippedAlerts(String event, String alert) {
    return shipped(event).stream().filter(e -> alert.equals(e.getString("alert"))).toList();
  }

  private JsonObject awaitShippedAlert(String event, String alert) {
    return betterStack.awaitEvent(e -> event.equals(e.getString("event")) && alert.equals(e.getString("alert")));
  }

  /**
   * Logs a marker and waits until Better Stack has it. Events are shipped in the order they were logged,
   * so whatever the service logged before the marker has arrived by then.
   */
  private void awaitShippedSoFar() {
    Events.info(LoggerFactory.getLogger(ObservabilityTest.class), "test.marker").log("everything before this is shipped");
    betterStack.awaitEvent("test.marker");
  }

  @Test
  @DisplayName("the service's own events reach Better Stack in the stdout shape")
  void startupEventsShipped() {
    JsonObject started = betterStack.awaitEvent("service.started");
    assertThat(started.fieldNames()).contains("dt", "level", "logger", "message", "thread", "port", "mode");
    assertThat(started.getString("level")).isEqualTo("INFO");
  }

  @Test
  @DisplayName("a hundred breaker-open signals reach Better Stack as one error event with alert=circuit_open, then one resolved event")
  void alertsDedupedAndShipped() {
    for (int i = 0; i < 100; i++) {
      Alerts.fire(app.vertx().eventBus(), Alerts.CIRCUIT_OPEN, "the Graph API circuit breaker is open",
          new JsonObject().put("failures", 5));
    }
    Alerts.resolve(app.vertx().eventBus(), Alerts.CIRCUIT_OPEN, "the Graph API circuit breaker closed");

    awaitShippedAlert("alert.resolved", Alerts.CIRCUIT_OPEN);
    assertThat(shippedAlerts("alert.fired", Alerts.CIRCUIT_OPEN)).singleElement().satisfies(e -> {
      assertThat(e.getString("level")).isEqualTo("ERROR");
      assertThat(e.getBoolean("resolved")).isFalse();
      assertThat(e.getInteger("failures")).isEqualTo(5);
    });
    assertThat(shippedAlerts("alert.resolved", Alerts.CIRCUIT_OPEN).get(0).getBoolean("resolved")).isTrue();
  }

  @Test
  @DisplayName("Redis going away raises redis_unavailable once and the heartbeat reports /fail; both recover when Redis is back")
  void redisOutage() {
    String healthy = "/api/v1/heartbeat/hb-token";
    String failing = healthy + "/fail";
    heartbeats.await(healthy::equals);

    REDIS.server().kill();
    awaitShippedAlert("alert.fired", Alerts.REDIS_UNAVAILABLE);
    heartbeats.await(failing::equals);
    // The Redis probe and the heartbeat take turns on one event loop, and every failed probe fires the
    // alert again: five more /fail pings gave the service several chances to log a second alert, and the
    // marker brings in whatever it logged meanwhile.
    int failedSoFar = heartbeats.awaitCount(failing::equals, 1).size();
    heartbeats.awaitCount(failing::equals, failedSoFar + 5); // time passes, pings go on
    awaitShippedSoFar();
    assertThat(shippedAlerts("alert.fired", Alerts.REDIS_UNAVAILABLE)).as("still one alert").hasSize(1);

    REDIS.server().start();
    awaitShippedAlert("alert.resolved", Alerts.REDIS_UNAVAILABLE);
    heartbeats.clear();
    heartbeats.await(healthy::equals);
  }

  @Test
  @DisplayName("GET /metrics answers Prometheus text with JVM, HTTP server, RSS and log shipping meters")
  void metricsEndpoint() throws Exception {
    Http.call(app.httpPort(), "GET", "/health/live", null);

    HttpResponse<String> metrics = Http.call(app.httpPort(), "GET", "/metrics", null);

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
