package io.wabot.flows;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wabot.config.FlowsKey;
import io.wabot.http.IngressLimits;
import io.wabot.observability.Metrics;
import io.wabot.observability.Rejections;
import io.wabot.redis.RedisClients;
import io.wabot.sandbox.FlowsClientSimulator.Exchange;
import io.wabot.sandbox.FlowsClientSimulator;
import io.wabot.testing.KeyFiles;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint's answers to handlers that misbehave: they throw, overrun their deadline, answer too much or go astray. */
class FlowsRoutesTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  @TempDir
  static Path dir;
  static Path keyFile;
  static FlowsKey key;

  static final String PROBE = """
      {"version": "7.3", "data_api_version": "3.0", "routing_model": {"START": ["END"], "END": []},
       "screens": [
         {"id": "START", "layout": {"type": "SingleColumnLayout", "children": [
           {"type": "Footer", "label": "Go", "on-click-action": {"name": "data_exchange", "payload": {}}}]}},
         {"id": "END", "terminal": true, "layout": {"type": "SingleColumnLayout", "children": [
           {"type": "Footer", "label": "Done", "on-click-action": {"name": "complete", "payload": {}}}]}}]}
      """;

  /** Answers according to {@code data.mode}. */
  static final class ProbeHandler implements FlowEndpointHandler {
    final List<FlowErrorNotification> notifications = new CopyOnWriteArrayList<>();

    public String flowName() {
      return "probe";
    }

    public Future<FlowResponse> onInit(FlowRequest request) {
      return Future.succeededFuture(FlowResponse.screen("START", new JsonObject()));
    }

    public Future<FlowResponse> onDataExchange(FlowRequest request) {
      return switch (request.data().getString("mode", "")) {
        case "throw" -> throw new IllegalStateException("secret form value 4111-1111");
        case "fail" -> Future.failedFuture(new IllegalStateException("secret form value 4111-1111"));
        case "hang" -> Promise.<FlowResponse>promise().future();
        case "huge" -> Future.succeededFuture(FlowResponse.screen("END", new JsonObject().put("blob", "x".repeat(4096))));
        case "astray" -> Future.succeededFuture(FlowResponse.screen("ELSEWHERE", new JsonObject()));
        case "back-to-start" -> Future.succeededFuture(FlowResponse.screen("START", new JsonObject()));
        default -> Future.succeededFuture(FlowResponse.screen("END", new JsonObject()));
      };
    }

    @Override
    public void onErrorNotification(FlowErrorNotification notification) {
      notifications.add(notification);
    }
  }

  private Vertx vertx;
  private HttpServer server;
  private Redis redis;
  private FlowTokens tokens;
  private FlowsClientSimulator meta;
  private MeterRegistry registry;
  private ProbeHandler handler;

  @BeforeAll
  static void keys() throws Exception {
    keyFile = KeyFiles.plain(dir, "flows.pem");
    key = FlowsKey.read(KeyFiles.read(keyFile), null);
  }

  @BeforeEach
  void start() {
    start(TestApps.liveEnv(REDIS.url()), new JsonObject(), TestApps.APP_SECRET);
  }

  /** The endpoint with these settings (besides the key and the test's limits), and Meta signing with {@code appSecret}. */
  private void start(Map<String, String> env, JsonObject overrides, String appSecret) {
    env.put("WHATSAPP_FLOWS_PRIVATE_KEY", keyFile.toString());
    AppConfig config = TestApps.config(env, overrides.copy().put("flows", new JsonObject()
        .put("handlerTimeout", "300ms").put("responseLimit", "2KiB")));
    vertx = Vertx.vertx();
    redis = RedisClients.pooled(vertx, config.redis());
    tokens = new FlowTokens(redis, config);
    handler = new ProbeHandler();
    FlowsSetup setup = FlowsSetup.matched(FlowDefinitions.parse(Map.of("test/probe.json", PROBE)), List.of(handler), "test", true);
    Router router = Router.router(vertx);
    registry = new SimpleMeterRegistry();
    Metrics.bind(vertx, registry); // the routes count requests in the registry of their Vert.x
    new FlowsRoutes(vertx, config, setup, redis, IngressLimits.of(vertx, config.http(), registry),
        new Rejections(vertx, registry, Duration.ofSeconds(10))).mountOn(router);
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    meta = new FlowsClientSimulator(vertx, "http://127.0.0.1:" + server.actualPort(), appSecret, key::publicKey);
  }

  @AfterEach
  void stop() {
    meta.close();
    redis.close();
    Metrics.unbind(vertx);
    await(vertx.close());
  }

  /** {@code wabot_flows_requests_total} of one outcome, any action. */
  private double requests(String outcome) {
    return registry.find(FlowsRoutes.REQUESTS).tag("outcome", outcome).counters().stream().mapToDouble(Counter::count).sum();
  }

  private Exchange submit(String mode) {
    String token = await(tokens.issue("16505551234", "probe", new JsonObject())).value();
    return await(meta.dataExchange(token, "START", new JsonObject().put("mode", mode)));
  }

  @Test
  @DisplayName("with numbers of two Meta apps, a request signed with the second app's secret is served; a stranger's gets 401")
  void everyServedAppSigns() {
    stop();
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    env.remove("WHATSAPP_PHONE_NUMBER_ID");
    JsonObject twoApps = new JsonObject().put("whatsapp", new JsonObject().put("numbers", new JsonArray()
        .add(new JsonObject().put("phoneNumberId", TestApps.PHONE_NUMBER_ID).put("name", "sales"))
        .add(new JsonObject().put("phoneNumberId", "309876543210987").put("name", "support")
            .put("accessToken", "EAAGsupportaccesstoken0001").put("appSecret", "support-app-secret-0001")
            .put("verifyToken", "support-verify-token-0001"))));
    start(env, twoApps, "support-app-secret-0001");

    assertThat(submit("ok").status()).isEqualTo(200);

    FlowsClientSimulator stranger = new FlowsClientSimulator(vertx, "http://127.0.0.1:" + server.actualPort(),
        "a-secret-no-served-app-has", key::publicKey);
    String token = await(tokens.issue("16505551234", "probe", new JsonObject())).value();
    assertThat(await(stranger.dataExchange(token, "START", new JsonObject().put("mode", "ok"))).status()).isEqualTo(401);
    stranger.close();
  }

  @Test
  @DisplayName("a handler that throws or fails gets a 500, logged with its class only, never its message")
  void failingHandler() {
    try (LogCapture logs = LogCapture.of(FlowsRoutes.class)) {
      assertThat(submit("throw").status()).isEqualTo(500);
      assertThat(submit("fail").status()).isEqualTo(500);
      assertThat(logs.named("flows.exchange")).hasSize(2).allSatisfy(e -> {
        assertThat(LogCapture.value(e, "outcome")).isEqualTo("handler_failed");
        assertThat(LogCapture.value(e, "error")).isEqualTo("IllegalStateException");
      });
      assertThat(requests("handler_failed")).isEqualTo(2);
      assertThat(logs.events()).noneSatisfy(e -> assertThat(e.getFormattedMessage() + e.getKeyValuePairs()).contains("4111"));
    }
  }

  @Test
  @DisplayName("a handler past its deadline gets a 500 at the deadline, not a hung request")
  void deadline() {
    try (LogCapture logs = LogCapture.of(FlowsRoutes.class)) {
      // The handler never completes: without the deadline the client would wait for ever (and submit's await fail).
      assertThat(submit("hang").status()).isEqualTo(500);
      assertThat(logs.named("flows.exchange")).singleElement()
          .satisfies(e -> assertThat(LogCapture.value(e, "outcome")).isEqualTo("handler_timeout"));
      assertThat(requests("handler_timeout")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("an answer larger than flows.responseLimit, or naming a screen the routing model does not allow, is not sent")
  void badAnswers() {
    try (LogCapture logs = LogCapture.of(FlowsRoutes.class)) {
      assertThat(submit("huge").status()).isEqualTo(500);
      assertThat(submit("astray").status()).isEqualTo(500);
      assertThat(logs.named("flows.exchange")).extracting(e -> LogCapture.value(e, "outcome"))
          .containsExactly("response_too_large", "invalid_answer");
    }
    assertThat(requests("response_too_large")).isEqualTo(1);
    assertThat(requests("invalid_answer")).isEqualTo(1);
    assertThat(submit("back-to-start").status()).as("the same screen again (e.g. with an error) is allowed").isEqualTo(200);
    assertThat(submit("next").screen()).isEqualTo("END");
  }

  @Test
  @DisplayName("error notifications reach the flow's handler and are acknowledged")
  void notifications() {
    String token = await(tokens.issue("16505551234", "probe", new JsonObject())).value();
    Exchange ack = await(meta.errorNotification(token, "START", "invalid-screen-transition", "no route to X"));
    assertThat(ack.data().getBoolean("acknowledged")).isTrue();
    assertThat(handler.notifications).singleElement().satisfies(n -> {
      assertThat(n.error()).isEqualTo("invalid-screen-transition");
      assertThat(n.screen()).isEqualTo("START");
      assertThat(n.token().flowName()).isEqualTo("probe");
    });
  }

  @Test
  @DisplayName("a token of a flow no handler serves any more gets 427")
  void flowGone() {
    String token = await(tokens.issue("16505551234", "retired_flow", new JsonObject())).value();
    Exchange gone = await(meta.init(token));
    assertThat(gone.status()).isEqualTo(427);
    assertThat(gone.answer().getString("error_msg")).isEqualTo(FlowExchange.NO_LONGER_AVAILABLE);
  }
}
