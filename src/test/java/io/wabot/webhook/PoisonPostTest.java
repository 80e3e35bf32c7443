package io.wabot.webhook;

import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.observability.Metrics;
import io.wabot.observability.Rejections;
import io.wabot.observability.MetricNames;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A webhook POST carrying objects that cannot become work, beside ones that can: the bad ones are
 * skipped visibly and kept for the operator, the good ones stored and answered, and the Redis breaker
 * never hears of it. Replays and other numbers' changes are dropped. Answers are observed where a
 * customer would see them: at the Graph API.
 */
class PoisonPostTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String ADMIN_TOKEN = "admin-token-0123456789";
  static final String CUSTOMER = "16505551234";

  private final Vertx side = Vertx.vertx();
  private final GraphApiSimulator simulator = new GraphApiSimulator(side, TestApps.ACCESS_TOKEN, TestApps.PHONE_NUMBER_ID);
  private Application app;

  @BeforeEach
  void start() {
    await(simulator.listen("127.0.0.1", 0));
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    env.put("WHATSAPP_API_BASE_URL", simulator.baseUrl());
    env.put("ADMIN_TOKEN", ADMIN_TOKEN);
    app = TestApps.start(TestApps.config(env, new JsonObject()
        .put("redis", new JsonObject().put("breaker", new JsonObject().put("maxFailures", 2)))));
  }

  @AfterEach
  void stop() {
    TestApps.stop(app);
    await(simulator.close());
    await(side.close());
  }

  private int port() {
    return app.httpPort();
  }

  static JsonObject nested(String wamid, String from, int levels) {
    Object value = "bottom";
    for (int i = 0; i < levels; i++) {
      value = new JsonArray().add(value);
    }
    JsonObject message = Webhooks.textMessage(wamid, from, "deep");
    message.getJsonObject("text").put("extra", value);
    return message;
  }

  private JsonObject post(JsonObject... messages) {
    JsonArray array = new JsonArray();
    for (JsonObject message : messages) {
      array.add(message);
    }
    return Webhooks.envelope(Webhooks.change(TestApps.PHONE_NUMBER_ID, array, null));
  }

  /** Waits until the bot marked this message read: the signal that it handled it. */
  private void awaitHandled(String wamid) throws Exception {
    poll("the bot handled %s", wamid).atMost(Duration.ofSeconds(20)).until(() -> readReceipts().contains(wamid));
  }

  private List<String> readReceipts() {
    return simulator.accepted().stream().filter(r -> "read".equals(r.kind())).map(r -> r.body().getString("message_id")).toList();
  }

  private double counter(String name, String... tags) {
    Counter counter = Metrics.registry(app.vertx()).find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  private JsonObject admin(String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port() + path)).header("Authorization", "Bearer " + ADMIN_TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  @Test
  @DisplayName("empty sender + deep JSON + a valid message in one POST: 200, the valid one answered, the others kept, the breaker closed")
  void poisonBesideValid() throws Exception {
    try (LogCapture logs = LogCapture.of(WebhookRoutes.class)) {
      // More such POSTs than the breaker's failure limit: none of them may count as a Redis failure.
      for (int i = 0; i < 3; i++) {
        String valid = Webhooks.newWamid();
        JsonObject body = post(Webhooks.textMessage(Webhooks.newWamid(), "", "no sender"),
            nested(Webhooks.newWamid(), CUSTOMER, 40), Webhooks.textMessage(valid, CUSTOMER, "hi"));
        assertThat(Webhooks.postSigned(port(), body).statusCode()).isEqualTo(200);
        awaitHandled(valid);
      }
      assertThat(logs.named("webhook.redis_circuit_open")).isEmpty();
      assertThat(logs.named("webhook.skipped")).as("one summary per POST, each naming both of its poison messages")
          .hasSize(3).allSatisfy(e -> assertThat(String.valueOf(LogCapture.value(e, "reasons")))
              .contains("message:too_deep=1").contains("message:invalid_sender=1"));
    }
    assertThat(simulator.accepted()).as("the valid messages were answered")
        .anySatisfy(r -> assertThat(r.recipient()).isEqualTo(CUSTOMER));
    assertThat(counter(MetricNames.WEBHOOK_SKIPPED, "kind", "message", "reason", "too_deep")).isEqualTo(3);
    assertThat(counter(MetricNames.WEBHOOK_SKIPPED, "kind", "message", "reason", "invalid_sender")).isEqualTo(3);

    JsonArray kept = admin("/admin/skipped?limit=10").getJsonArray("skipped");
    assertThat(kept).hasSize(6);
    JsonObject deep = kept.stream().map(JsonObject.class::cast).filter(e -> "too_deep".equals(e.getString("reason")))
        .findFirst().orElseThrow();
    assertThat(deep.getString("kind")).isEqualTo("message");
    assertThat(deep.getJsonObject("raw").getString("from")).as("kept for the operator, pruned to a safe depth")
        .isEqualTo(CUSTOMER);
    assertThat(deep.getJsonObject("raw").encode()).contains("nested deeper than 32 levels");
    assertThat(kept.stream().map(JsonObject.class::cast).filter(e -> "invalid_sender".equals(e.getString("reason"))))
        .hasSize(3).allSatisfy(e -> assertThat(e.getJsonObject("raw").getString("from")).isEmpty());
  }

  @Test
  @DisplayName("a body nested absurdly deep is a 400 and never reaches the parser or Redis")
  void absurdNesting() throws Exception {
    // Built as text: even this test's JVM could not encode 900 levels of JsonArray.
    String body = post(nested(Webhooks.newWamid(), CUSTOMER, 0)).encode()
        .replace("\"extra\":\"bottom\"", "\"extra\":" + "[".repeat(900) + "]".repeat(900));
    HttpResponse<String> answer = Webhooks.post(port(), body, Webhooks.sign(body));
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("nested deeper than 128 levels");
    assertThat(counter(Rejections.METRIC, "endpoint", "webhook", "reason", "too_deep")).isEqualTo(1);
    String valid = Webhooks.newWamid();
    assertThat(Webhooks.postSigned(port(), Webhooks.text(valid, CUSTOMER, "hi")).statusCode()).isEqualTo(200);
    awaitHandled(valid);
  }

  @Test
  @DisplayName("a captured message replayed after the deduplication window is dropped, not answered again")
  void replayedOldMessage() throws Exception {
    String old = Webhooks.newWamid();
    JsonObject replayed = Webhooks.textMessage(old, CUSTOMER, "hi")
        .put("timestamp", Long.toString(Instant.now().minus(Duration.ofDays(8)).getEpochSecond()));
    String future = Webhooks.newWamid();
    JsonObject fromFuture = Webhooks.textMessage(future, CUSTOMER, "hi")
        .put("timestamp", Long.toString(Instant.now().plus(Duration.ofDays(30)).getEpochSecond()));
    assertThat(Webhooks.postSigned(port(), post(replayed, fromFuture)).statusCode()).isEqualTo(200);

    // The same customer's next message is handled after anything queued before it (one FIFO per customer).
    String fresh = Webhooks.newWamid();
    assertThat(Webhooks.postSigned(port(), Webhooks.text(fresh, CUSTOMER, "hi")).statusCode()).isEqualTo(200);
    awaitHandled(fresh);

    assertThat(readReceipts()).doesNotContain(old, future);
    assertThat(counter(Rejections.METRIC, "endpoint", "webhook", "reason", "replayed_old")).isEqualTo(1);
    assertThat(counter(Rejections.METRIC, "endpoint", "webhook", "reason", "replayed_future")).isEqualTo(1);
  }

  @Test
  @DisplayName("a change without metadata, or for another phone number id, is ignored with an event; ours is handled")
  void otherChangesIgnored() throws Exception {
    String noMetadata = Webhooks.newWamid();
    String otherNumber = Webhooks.newWamid();
    String ours = Webhooks.newWamid();
    JsonObject withoutMetadata = Webhooks.change(TestApps.PHONE_NUMBER_ID,
        new JsonArray().add(Webhooks.textMessage(noMetadata, CUSTOMER, "hi")), null);
    withoutMetadata.getJsonObject("value").remove("metadata");
    JsonObject body = Webhooks.envelope(withoutMetadata,
        Webhooks.change("999999999999999", new JsonArray().add(Webhooks.textMessage(otherNumber, CUSTOMER, "hi")), null),
        Webhooks.change(TestApps.PHONE_NUMBER_ID, new JsonArray().add(Webhooks.textMessage(ours, CUSTOMER, "hi")), null));
    try (LogCapture logs = LogCapture.of(WebhookRoutes.class)) {
      assertThat(Webhooks.postSigned(port(), body).statusCode()).isEqualTo(200);
      awaitHandled(ours);
      assertThat(logs.named("webhook.change_ignored")).extracting(e -> LogCapture.value(e, "reason"))
          .containsExactly("no_metadata", "other_number");
    }
    assertThat(readReceipts()).doesNotContain(noMetadata, otherNumber);
    List<RecordedRequest> all = simulator.requests();
    assertThat(all).isNotEmpty();
  }
}
