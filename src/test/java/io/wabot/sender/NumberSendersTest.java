package io.wabot.sender;

import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.Application;
import io.wabot.config.NumberConfig;
import io.wabot.config.Secret;
import io.wabot.numbers.BusinessNumbers;
import io.wabot.observability.Alerts;
import io.wabot.observability.Correlation;
import io.wabot.queue.DeadJob;
import io.wabot.queue.NewJob;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.testing.Http;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.testing.WaitableList;
import io.wabot.whatsapp.outbound.OutboundJob;
import io.wabot.whatsapp.outbound.OutboundJobs;
import io.wabot.whatsapp.outbound.OutboundMessage;
import io.wabot.whatsapp.outbound.TemplateMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sender with two business numbers, each with its own token: every job goes out from the number it
 * names, and one number's throughput pause, refused token, removal or low limit leaves the other sending.
 * The Graph API is a small fake that answers like Meta per number ({@code /{phone-number-id}/messages}).
 */
class NumberSendersTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String SALES = "111111111111111";
  static final String SUPPORT = "222222222222222";
  static final String SALES_TOKEN = "EAAG-sales-token-0001";
  static final String SUPPORT_TOKEN = "EAAG-support-token-0002";
  static final String SALES_ACCOUNT = "900000000000001";
  static final String SUPPORT_ACCOUNT = "900000000000002";
  /** The one template each business account has. */
  static final Map<String, String> ACCOUNT_TEMPLATES = Map.of(SALES_ACCOUNT, "sales_offer", SUPPORT_ACCOUNT, "ticket_update");

  /** One request the fake Graph API received. */
  record Request(String numberId, String authorization, JsonObject body, Instant at, int status) {
    String marker() {
      JsonObject text = body.getJsonObject("text");
      return text == null ? null : text.getString("body");
    }
  }

  /** What the fake answers a number: Meta's success, its 130429, or its 190. */
  enum Answer { OK, THROUGHPUT_LIMIT, TOKEN_EXPIRED }

  private final Vertx side = Vertx.vertx();
  private final WaitableList<Request> requests = new WaitableList<>();
  private final WaitableList<JsonObject> alerts = new WaitableList<>();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private HttpServer graph;
  private Application app;
  private Redis redis;
  private RedisJobQueue outbound;

  @BeforeEach
  void graphApi() {
    graph = await(side.createHttpServer().requestHandler(request -> request.body().onSuccess(buffer -> {
      String[] path = request.path().split("/");
      if (path.length == 4 && "message_templates".equals(path[3])) {
        // /v23.0/{waba-id}/message_templates: each account has one template of its own
        JsonObject template = new JsonObject().put("name", ACCOUNT_TEMPLATES.get(path[2])).put("language", "en")
            .put("status", "APPROVED").put("category", "UTILITY").put("components", new JsonArray());
        request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
            .put("data", new JsonArray().add(template)).put("paging", new JsonObject()).encode());
        return;
      }
      // /v23.0/{phone-number-id}/messages
      String numberId = path.length == 4 && "messages".equals(path[3]) ? path[2] : "?";
      Answer answer = answers.getOrDefault(numberId, Answer.OK);
      JsonObject reply;
      int status;
      switch (answer) {
        case THROUGHPUT_LIMIT -> {
          status = 429;
          request.response().putHeader("Retry-After", "4");
          reply = error(130429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached.");
        }
        case TOKEN_EXPIRED -> {
          status = 401;
          reply = error(190, "Error validating access token: Session has expired.", null);
        }
        default -> {
          status = 200;
          JsonObject body = buffer.toJsonObject();
          reply = new JsonObject().put("messaging_product", "whatsapp")
              .put("contacts", new JsonArray().add(new JsonObject().put("input", body.getString("to")).put("wa_id", body.getString("to"))))
              .put("messages", new JsonArray().add(new JsonObject().put("id", "wamid." + UUID.randomUUID())));
        }
      }
      requests.add(new Request(numberId, request.getHeader("Authorization"), buffer.toJsonObject(), Instant.now(), status));
      request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(reply.encode());
    })).listen(0, "127.0.0.1"));
  }

  private static JsonObject error(int code, String message, String details) {
    JsonObject error = new JsonObject().put("message", message).put("type", "OAuthException").put("code", code)
        .put("fbtrace_id", "A" + UUID.randomUUID().toString().substring(0, 8));
    if (details != null) {
      error.put("error_data", new JsonObject().put("messaging_product", "whatsapp").put("details", details));
    }
    return new JsonObject().put("error", error);
  }

  /** The service with two numbers: Sales (the default, first listed) and Support, each with its token and limit. */
  private void start(int supportPerSecond) {
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    env.remove("WHATSAPP_PHONE_NUMBER_ID");
    env.remove("WHATSAPP_ACCESS_TOKEN");
    env.put("WHATSAPP_API_BASE_URL", "http://127.0.0.1:" + graph.actualPort());
    JsonObject config = SenderFixture.FAST.copy().put("whatsapp", new JsonObject().put("numbers", new JsonArray()
        .add(new JsonObject().put("phoneNumberId", SALES).put("name", "Sales").put("accessToken", SALES_TOKEN)
            .put("businessAccountId", SALES_ACCOUNT))
        .add(new JsonObject().put("phoneNumberId", SUPPORT).put("name", "Support").put("accessToken", SUPPORT_TOKEN)
            .put("businessAccountId", SUPPORT_ACCOUNT).put("maxMessagesPerSecond", supportPerSecond))));
    app = TestApps.start(TestApps.config(env, config));
    app.vertx().eventBus().<JsonObject>consumer(Alerts.ADDRESS, m -> alerts.add(m.body()));
    redis = Redis.createClient(side, REDIS.url());
    outbound = new RedisJobQueue(side, redis, app.config().queue(), app.config().redis(), Queues.OUTBOUND);
  }

  @AfterEach
  void stop() {
    if (app != null) {
      TestApps.stop(app);
    }
    if (redis != null) {
      redis.close();
    }
    await(side.close());
  }

  /** A text reply to {@code customer} whose body is {@code marker}, to go out from {@code number} (null: none named). */
  private static NewJob reply(String number, String customer, String marker) {
    return reply(number, customer, marker, OutboundMessage.text(customer, marker));
  }

  /** {@code message} to {@code customer} as the reply {@code <inbound>:r0} of their conversation, from {@code number}. */
  private static NewJob reply(String number, String customer, String inbound, OutboundMessage message) {
    String key = "c_" + customer;
    return OutboundJobs.job(inbound + ":r0", key, Correlation.ofInbound(inbound, customer),
        new OutboundJob.Message(message.toJson(), key, customer, "en", System.currentTimeMillis(), false, null, number));
  }

  private void enqueue(List<NewJob> jobs) {
    await(outbound.enqueue(jobs));
  }

  private List<DeadJob> deadLetters() {
    return await(outbound.deadLetters(0, 100));
  }

  private List<Request> accepted(String numberId) {
    return requests.snapshot().stream().filter(r -> r.status() == 200 && r.numberId().equals(numberId)).toList();
  }

  @Test
  @DisplayName("each job goes out from the number it names, with that number's token; a job naming none from the default")
  void routesByNumber() {
    start(80);
    enqueue(List.of(reply(SALES, "4915100000001", "to-sales"), reply(SUPPORT, "4915100000002", "to-support"),
        reply(null, "4915100000003", "to-default")));

    requests.awaitSize(3);
    Map<String, Request> byMarker = new ConcurrentHashMap<>();
    requests.snapshot().forEach(r -> byMarker.put(r.marker(), r));
    assertThat(byMarker.get("to-sales")).satisfies(r -> {
      assertThat(r.numberId()).isEqualTo(SALES);
      assertThat(r.authorization()).isEqualTo("Bearer " + SALES_TOKEN);
    });
    assertThat(byMarker.get("to-support")).satisfies(r -> {
      assertThat(r.numberId()).isEqualTo(SUPPORT);
      assertThat(r.authorization()).isEqualTo("Bearer " + SUPPORT_TOKEN);
    });
    assertThat(byMarker.get("to-default")).as("a job stored before numbers: the default number (first listed)")
        .satisfies(r -> {
          assertThat(r.numberId()).isEqualTo(SALES);
          assertThat(r.authorization()).isEqualTo("Bearer " + SALES_TOKEN);
        });
    poll("the outbound queue to drain").until(() -> await(outbound.stats()).waiting() == 0);
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  @DisplayName("a 130429 on Sales pauses Sales only: Support's replies go out during the pause, Sales' after it")
  void throughputPauseIsPerNumber() throws Exception {
    start(80);
    answers.put(SALES, Answer.THROUGHPUT_LIMIT);
    enqueue(List.of(reply(SALES, "4915100000001", "sales-1")));
    requests.await(r -> r.status() == 429);
    answers.put(SALES, Answer.OK); // Meta would accept again after the pause; the sender must wait for it anyway
    poll("Sales paused").until(() -> SenderStatus.pausedForMs(app.vertx(), "Sales") > 0);

    enqueue(IntStream.range(0, 5).mapToObj(i -> reply(SUPPORT, "49151000001" + i, "support-" + i)).toList());
    requests.awaitCount(r -> r.status() == 200 && SUPPORT.equals(r.numberId()), 5);

    assertThat(SenderStatus.pausedForMs(app.vertx(), "Sales")).as("Support's replies all arrived while Sales is paused")
        .isPositive();
    assertThat(SenderStatus.pausedForMs(app.vertx(), "Support")).isZero();
    assertThat(accepted(SALES)).as("nothing from Sales during its pause").isEmpty();
    JsonObject check = Http.readinessCheck(app.httpPort(), "graph-api");
    assertThat(check.getString("status")).isEqualTo("UP");
    assertThat(check.getJsonObject("data").getJsonArray("degraded").getList()).containsExactly("Sales");
    assertThat(check.getJsonObject("data").getJsonObject("numbers").getJsonObject("Sales").getLong("pausedForMs"))
        .isPositive();

    Request paused = requests.snapshot().stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
    Request resent = requests.await(r -> r.status() == 200 && SALES.equals(r.numberId()));
    assertThat(resent.marker()).isEqualTo("sales-1");
    assertThat(Duration.between(paused.at(), resent.at())).as("Retry-After: 4 honoured")
        .isGreaterThanOrEqualTo(Duration.ofMillis(3_900));
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  @DisplayName("Sales' token refused (401, code 190): its replies are dead letters and the alert names Sales; Support flows")
  void refusedTokenIsPerNumber() {
    start(80);
    answers.put(SALES, Answer.TOKEN_EXPIRED);
    enqueue(List.of(reply(SALES, "4915100000001", "sales-1"), reply(SUPPORT, "4915100000002", "support-1"),
        reply(SALES, "4915100000003", "sales-2"), reply(SUPPORT, "4915100000004", "support-2")));

    requests.awaitCount(r -> r.status() == 200 && SUPPORT.equals(r.numberId()), 2);
    JsonObject alert = alerts.await(a -> Alerts.GRAPH_AUTH.equals(a.getString("alert")) && !a.getBoolean("resolved"));
    assertThat(alert.getString("number")).isEqualTo("Sales");
    assertThat(alert.getString("message")).contains("number Sales");
    poll("Sales' two replies dead-lettered").until(() -> deadLetters().size() == 2);
    assertThat(deadLetters()).allSatisfy(dead -> {
      assertThat(dead.id()).startsWith("sales-");
      assertThat(dead.reason()).contains("access token of number Sales refused");
    });
    assertThat(alerts.snapshot()).as("Support's success does not resolve Sales' alert")
        .noneMatch(a -> Alerts.GRAPH_AUTH.equals(a.getString("alert")) && a.getBoolean("resolved"));
  }

  @Test
  @DisplayName("a job naming a number not configured, or one a reload removed, is a dead letter that says so")
  void removedNumber() {
    start(80);
    String unknown = "333333333333333";
    enqueue(List.of(reply(unknown, "4915100000001", "gone-1")));
    poll("the job for an unknown number dead-lettered").until(() -> deadLetters().size() == 1);
    assertThat(deadLetters().get(0).reason())
        .isEqualTo("number " + NumberConfig.labelFor(null, unknown) + " is no longer configured");

    BusinessNumbers numbers = BusinessNumbers.of(app.vertx(), app.config().whatsapp());
    numbers.replace(List.of(numbers.find(SALES).orElseThrow())); // a reload that removed Support
    enqueue(List.of(reply(SUPPORT, "4915100000002", "support-1"), reply(SALES, "4915100000003", "sales-1")));
    requests.await(r -> r.status() == 200 && "sales-1".equals(r.marker()));
    poll("Support's job dead-lettered").until(() -> deadLetters().size() == 2);
    assertThat(deadLetters()).anySatisfy(dead -> {
      assertThat(dead.id()).isEqualTo("support-1:r0");
      assertThat(dead.reason()).isEqualTo("number Support is no longer configured");
    });
    assertThat(accepted(SUPPORT)).isEmpty();
  }

  @Test
  @DisplayName("templates are checked against the sending number's business account: Support's template goes out from"
      + " Support, and is a dead letter from Sales, whose account lacks it")
  void templatesOfTheNumbersAccount() {
    start(80);
    enqueue(List.of(
        reply(SUPPORT, "4915100000001", "from-support", new TemplateMessage("4915100000001", "ticket_update", "en", List.of())),
        reply(SALES, "4915100000002", "from-sales", new TemplateMessage("4915100000002", "ticket_update", "en", List.of()))));

    Request sent = requests.await(r -> r.body().containsKey("template"));
    assertThat(sent.numberId()).isEqualTo(SUPPORT);
    poll("Sales' template dead-lettered").until(() -> deadLetters().size() == 1);
    assertThat(deadLetters().get(0).id()).isEqualTo("from-sales:r0");
    assertThat(deadLetters().get(0).reason()).contains("\"ticket_update\" is not on the WhatsApp Business Account");
    assertThat(requests.snapshot()).as("Sales' never reached Meta").hasSize(1);
  }

  @Test
  @DisplayName("a reload that gives Sales a new token: the next job goes out with the new one")
  void reloadedTokenTakesEffect() {
    start(80);
    enqueue(List.of(reply(SALES, "4915100000001", "before")));
    assertThat(requests.await(r -> "before".equals(r.marker())).authorization()).isEqualTo("Bearer " + SALES_TOKEN);

    BusinessNumbers numbers = BusinessNumbers.of(app.vertx(), app.config().whatsapp());
    NumberConfig sales = numbers.find(SALES).orElseThrow();
    NumberConfig rotated = new NumberConfig(sales.phoneNumberId(), sales.name(), sales.label(),
        new Secret("EAAG-sales-token-rotated"), sales.appSecret(), sales.verifyToken(), sales.maxMessagesPerSecond(),
        sales.businessAccountId(), sales.conversation(), sales.bot());
    numbers.replace(List.of(rotated, numbers.find(SUPPORT).orElseThrow()));
    enqueue(List.of(reply(SALES, "4915100000002", "after")));

    Request after = requests.await(r -> "after".equals(r.marker()));
    assertThat(after.numberId()).isEqualTo(SALES);
    assertThat(after.authorization()).isEqualTo("Bearer EAAG-sales-token-rotated");
  }

  @Test
  @DisplayName("Support limited to 1 message a second does not slow Sales: Sales' 30 replies are out before Support's fifth")
  void throughputLimitIsPerNumber() {
    start(1);
    enqueue(IntStream.range(0, 5).mapToObj(i -> reply(SUPPORT, "49152000002" + i, "support-" + i)).toList());
    requests.await(r -> SUPPORT.equals(r.numberId()));
    enqueue(IntStream.range(0, 30).mapToObj(i -> reply(SALES, "491510000%03d".formatted(i), "sales-" + i)).toList());

    requests.awaitCount(r -> r.status() == 200 && SALES.equals(r.numberId()), 30);
    // Support's fifth slot is at least 4 s after its first: Sales, at 80 a second, is done long before.
    assertThat(accepted(SUPPORT).size()).as("Support still spaced at one a second").isLessThan(5);

    requests.awaitCount(r -> r.status() == 200 && SUPPORT.equals(r.numberId()), 5);
    List<Instant> support = accepted(SUPPORT).stream().map(Request::at).sorted().toList();
    assertThat(Duration.between(support.get(0), support.get(4))).isGreaterThanOrEqualTo(Duration.ofMillis(3_900));
  }
}
