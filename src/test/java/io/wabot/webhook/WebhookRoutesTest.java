package io.wabot.webhook;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.http.HttpFailures;
import io.wabot.testing.CustomerKeys;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.StoredStatuses;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WebhookRoutesTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String CUSTOMER = "16505551234";
  static final String P = "wabot:{bot}:";

  private Application app;

  @BeforeEach
  void start() {
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    app = TestApps.start(TestApps.config(env, new JsonObject().put("http", new JsonObject().put("webhookBodyLimit", "4KiB"))));
    // The conversation workers would consume the jobs at once: hold them so the tests see what was stored.
    holdInbound();
  }

  static void holdInbound() {
    REDIS.server().command("SET", P + "inbound:paused", "99999999999999");
  }

  static void releaseInbound() {
    REDIS.server().command("DEL", P + "inbound:paused");
  }

  @AfterEach
  void stop() {
    TestApps.stop(app);
  }

  private int port() {
    return app.httpPort();
  }

  private long waiting() {
    String count = REDIS.server().command("GET", P + "inbound:count");
    return count == null || count.startsWith("$-1") ? 0 : Long.parseLong(count);
  }

  /** The inbound FIFO of the customer with this phone number or BSUID (under their conversation key). */
  static List<String> conversation(String customer) {
    String key = CustomerKeys.keyOf(REDIS.server(), P, customer);
    assertThat(key).as("conversation key of %s", customer).isNotNull();
    int n = Integer.parseInt(REDIS.server().command("LLEN", P + "inbound:conv:" + key).substring(1));
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> REDIS.server().command("LINDEX", P + "inbound:conv:" + key, Integer.toString(i))).toList();
  }

  @Test
  @DisplayName("the verification handshake echoes the challenge only for the right mode and verify token")
  void handshake() throws Exception {
    HttpResponse<String> ok = Webhooks.get(port(),
        "/webhook?hub.mode=subscribe&hub.verify_token=" + TestApps.VERIFY_TOKEN + "&hub.challenge=1158201444");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("1158201444");

    assertThat(Webhooks.get(port(), "/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1").statusCode())
        .isEqualTo(403);
    assertThat(Webhooks.get(port(), "/webhook?hub.mode=unsubscribe&hub.verify_token=" + TestApps.VERIFY_TOKEN
        + "&hub.challenge=1").statusCode()).isEqualTo(403);
    assertThat(Webhooks.get(port(), "/webhook").statusCode()).isEqualTo(403);
  }

  @Test
  @DisplayName("a handshake whose query cannot be decoded (a bad %-escape, as scanners send) gets 400, counted, never an"
      + " error logged a request")
  void handshakeUndecodableQuery() throws Exception {
    try (LogCapture errors = LogCapture.of(HttpFailures.class)) {
      for (int i = 0; i < 20; i++) {
        // Raw bytes: Java's HTTP client refuses to send such a query.
        assertThat(rawStatusLine("GET /webhook?hub.mode=subscribe&hub.challenge=%zz HTTP/1.1\r\nHost: bot\r\n"
            + "Connection: close\r\n\r\n")).isEqualTo("HTTP/1.1 400 Bad Request");
      }
      assertThat(Webhooks.get(port(), "/metrics").body())
          .contains("wabot_http_rejected_total{endpoint=\"verify\",reason=\"bad_query\"} 20.0");
      assertThat(errors.named("http.error")).isEmpty();
    }
  }

  /** Sends {@code request} as it is and returns the status line of the answer (the server closes the connection). */
  private String rawStatusLine(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      return in.readLine();
    }
  }

  @Test
  @DisplayName("a signed POST with a field the parser could not read (an error code too long for a number) is answered 200"
      + " and the message beside it stored")
  void unreadableFieldBesideAMessage() throws Exception {
    String wamid = Webhooks.newWamid();
    JsonObject failed = Webhooks.status("wamid.OUT" + System.nanoTime(), CUSTOMER, "failed")
        .put("errors", new JsonArray().add(new JsonObject().put("code", "99999999999").put("title", "x")));

    HttpResponse<String> answer = Webhooks.postSigned(port(), Webhooks.envelope(Webhooks.change(TestApps.PHONE_NUMBER_ID,
        new JsonArray().add(Webhooks.textMessage(wamid, CUSTOMER, "hi")), new JsonArray().add(failed))));

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(conversation(CUSTOMER)).contains(wamid);
  }

  @Test
  @DisplayName("a POST is accepted only with the right signature of its exact bytes")
  void signatures() throws Exception {
    String body = Webhooks.text(Webhooks.newWamid(), CUSTOMER, "hi").encode();
    assertThat(Webhooks.post(port(), body, null).statusCode()).as("missing").isEqualTo(401);
    assertThat(Webhooks.post(port(), body, "sha256=" + "0".repeat(64)).statusCode()).as("wrong").isEqualTo(401);
    assertThat(Webhooks.post(port(), body, "sha1=abc").statusCode()).as("other algorithm").isEqualTo(401);
    String reformatted = new JsonObject(body).encodePrettily();
    assertThat(Webhooks.post(port(), reformatted, Webhooks.sign(body)).statusCode()).as("same JSON, other bytes")
        .isEqualTo(401);
    assertThat(waiting()).isZero();
    assertThat(Webhooks.get(port(), "/metrics").body()).as("every refusal is counted, though logged once per interval")
        .containsPattern("wabot_http_rejected_total\\{endpoint=\"webhook\",reason=\"signature\"[^}]*\\} 4\\.0");

    HttpResponse<String> accepted = Webhooks.post(port(), body, Webhooks.sign(body));
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(waiting()).isEqualTo(1);
  }

  @Test
  @DisplayName("bodies over the limit get 413, non-JSON and non-WhatsApp bodies get 400, unknown fields are ignored")
  void badBodies() throws Exception {
    JsonObject big = Webhooks.text(Webhooks.newWamid(), CUSTOMER, "x".repeat(5000));
    assertThat(Webhooks.postSigned(port(), big).statusCode()).isEqualTo(413);

    String notJson = "{this is not json";
    assertThat(Webhooks.post(port(), notJson, Webhooks.sign(notJson)).statusCode()).isEqualTo(400);
    assertThat(Webhooks.postSigned(port(), new JsonObject().put("object", "page").put("entry", new JsonArray())).statusCode())
        .isEqualTo(400);
    assertThat(Webhooks.postSigned(port(), new JsonObject().put("object", "whatsapp_business_account")).statusCode())
        .isEqualTo(400);
    String array = "[1,2]";
    assertThat(Webhooks.post(port(), array, Webhooks.sign(array)).statusCode()).isEqualTo(400);

    JsonObject withExtras = Webhooks.text(Webhooks.newWamid(), CUSTOMER, "hi").put("brand_new_field", new JsonObject());
    withExtras.getJsonArray("entry").getJsonObject(0).put("time", 1749416383);
    assertThat(Webhooks.postSigned(port(), withExtras).statusCode()).isEqualTo(200);
    assertThat(waiting()).isEqualTo(1);
  }

  @Test
  @DisplayName("one POST carrying several entries, changes and messages stores every message, in order per customer")
  void manyMessagesInOnePost() throws Exception {
    String other = "5215512345678";
    List<String> ids = java.util.stream.IntStream.range(0, 6).mapToObj(i -> Webhooks.newWamid()).toList();
    JsonObject change1 = Webhooks.change(TestApps.PHONE_NUMBER_ID, new JsonArray()
        .add(Webhooks.textMessage(ids.get(0), CUSTOMER, "one"))
        .add(Webhooks.textMessage(ids.get(1), other, "uno")), null);
    JsonObject change2 = Webhooks.change(TestApps.PHONE_NUMBER_ID, new JsonArray()
        .add(Webhooks.textMessage(ids.get(2), CUSTOMER, "two")), new JsonArray().add(Webhooks.status("wamid.OUT1", CUSTOMER, "sent")));
    JsonObject body = Webhooks.envelope(change1, change2);
    JsonObject secondEntry = new JsonObject().put("id", "999").put("changes", new JsonArray()
        .add(Webhooks.change(TestApps.PHONE_NUMBER_ID, new JsonArray()
            .add(Webhooks.textMessage(ids.get(3), other, "dos"))
            .add(Webhooks.buttonReply(ids.get(4), CUSTOMER, "browse", "Browse"))
            .add(Webhooks.textMessage(ids.get(5), CUSTOMER, "three")), null)));
    body.getJsonArray("entry").add(secondEntry);

    assertThat(Webhooks.postSigned(port(), body).statusCode()).isEqualTo(200);
    assertThat(waiting()).isEqualTo(6);
    assertThat(conversation(CUSTOMER)).containsExactly(ids.get(0), ids.get(2), ids.get(4), ids.get(5));
    assertThat(conversation(other)).containsExactly(ids.get(1), ids.get(3));
    assertThat(StoredStatuses.statusOf(app, "wamid.OUT1")).isEqualTo("sent");
  }

  @Test
  @DisplayName("the same message delivered three times is answered 200 each time and stored once")
  void duplicates() throws Exception {
    JsonObject body = Webhooks.text(Webhooks.newWamid(), CUSTOMER, "hello");
    for (int i = 0; i < 3; i++) {
      assertThat(Webhooks.postSigned(port(), body).statusCode()).isEqualTo(200);
    }
    assertThat(waiting()).isEqualTo(1);
    assertThat(conversation(CUSTOMER)).hasSize(1);
  }

  static JsonObject preference(String waId, String value, long timestamp) {
    return new JsonObject().put("object", "whatsapp_business_account").put("entry", new JsonArray().add(new JsonObject()
        .put("id", "1").put("changes", new JsonArray().add(new JsonObject().put("field", "user_preferences")
            .put("value", new JsonObject().put("messaging_product", "whatsapp").put("user_preferences", new JsonArray()
                .add(new JsonObject().put("wa_id", waId).put("detail", "User requested to " + value + " marketing messages")
                    .put("category", "marketing_messages").put("value", value).put("timestamp", timestamp))))))));
  }

  @Test
  @DisplayName("a marketing opt-out from Meta is stored before the 200 and recorded by the consent hook; a resume undoes it")
  void userPreferences() throws Exception {
    releaseInbound();
    JsonObject stop = preference(CUSTOMER, "stop", 1749416393L);
    assertThat(Webhooks.postSigned(port(), stop).statusCode()).isEqualTo(200);
    String key = P + "optout-marketing:" + CustomerKeys.keyOf(REDIS.server(), P, CUSTOMER);
    poll("the opt-out stored").until(() -> !REDIS.server().command("GET", key).startsWith("$-1"));
    assertThat(Webhooks.postSigned(port(), stop).statusCode()).as("a redelivery").isEqualTo(200);

    assertThat(Webhooks.postSigned(port(), preference(CUSTOMER, "resume", 1749416999L)).statusCode()).isEqualTo(200);
    poll("the opt-out removed").until(() -> REDIS.server().command("GET", key).startsWith("$-1"));
  }

  @Test
  @DisplayName("while Redis is down a marketing opt-out gets 503, so Meta delivers it again rather than it being lost")
  void userPreferencesNeedRedis() throws Exception {
    REDIS.server().kill();
    assertThat(Webhooks.postSigned(port(), preference(CUSTOMER, "stop", 1749416393L)).statusCode()).isEqualTo(503);
  }

  @Test
  @DisplayName("while Redis keeps failing the webhook stops asking it and answers 503 at once, until it answers again")
  void redisCircuit() throws Exception {
    TestApps.stop(app);
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    app = TestApps.start(TestApps.config(env, new JsonObject().put("redis", new JsonObject()
        .put("commandTimeout", "300ms").put("breaker", new JsonObject().put("maxFailures", 2).put("openFor", "1s")))));
    try (LogCapture logs = LogCapture.of(WebhookRoutes.class)) {
      REDIS.server().command("CLIENT", "PAUSE", "1500", "ALL"); // Redis stops answering, connections stay open
      for (int i = 0; i < 4; i++) {
        assertThat(Webhooks.postSigned(port(), Webhooks.text(Webhooks.newWamid(), CUSTOMER, "hello?")).statusCode())
            .isEqualTo(503);
      }
      assertThat(logs.named("webhook.redis_circuit_open")).hasSize(1);
      assertThat(logs.named("webhook.store_failed")).as("answers while open are not errors of their own").hasSize(2);

      JsonObject later = Webhooks.text(Webhooks.newWamid(), CUSTOMER, "still there?");
      poll("Meta's redelivery to be stored").until(() -> Webhooks.postSigned(port(), later).statusCode() == 200);
      logs.await("webhook.redis_circuit_closed");
      assertThat(logs.named("webhook.redis_circuit_closed")).hasSize(1);
    }
  }

  @Test
  @DisplayName("a message for another phone number of the same account is not stored")
  void otherNumber() throws Exception {
    JsonObject body = Webhooks.envelope(Webhooks.change("999999999999",
        new JsonArray().add(Webhooks.textMessage(Webhooks.newWamid(), CUSTOMER, "hi")), null));
    assertThat(Webhooks.postSigned(port(), body).statusCode()).isEqualTo(200);
    assertThat(waiting()).isZero();
  }

  @Test
  @DisplayName("a message status only moves forward, and failed is final")
  void statusesMoveForward() throws Exception {
    String wamid = "wamid.OUTBOUND42";
    for (String s : List.of("read", "delivered", "sent")) {
      JsonObject body = Webhooks.envelope(Webhooks.change(TestApps.PHONE_NUMBER_ID, new JsonArray(),
          new JsonArray().add(Webhooks.status(wamid, CUSTOMER, s))));
      assertThat(Webhooks.postSigned(port(), body).statusCode()).isEqualTo(200);
    }
    assertThat(StoredStatuses.statusOf(app, wamid)).isEqualTo("read");
    assertThat(waiting()).as("statuses are never answered").isZero();

    String failing = "wamid.OUTBOUND43";
    for (String s : List.of("sent", "failed", "read")) {
      JsonObject status = Webhooks.status(failing, CUSTOMER, s);
      if (s.equals("failed")) {
        status.put("errors", new JsonArray().add(new JsonObject().put("code", 131026).put("title", "Message undeliverable")));
      }
      Webhooks.postSigned(port(), Webhooks.envelope(Webhooks.change(TestApps.PHONE_NUMBER_ID, new JsonArray(),
          new JsonArray().add(status))));
    }
    JsonObject stored = StoredStatuses.of(app, failing).orElseThrow();
    assertThat(stored.getString("status")).isEqualTo("failed");
    assertThat(stored.getInteger("errorCode")).isEqualTo(131026);
    assertThat(stored.fieldNames()).as("no phone number is kept").containsExactlyInAnyOrder("wamid", "status", "at", "errorCode");
  }

  @Test
  @DisplayName("while Redis is down the webhook answers 503 and readiness is down; the redelivery is stored once it is back")
  void redisDown() throws Exception {
    JsonObject body = Webhooks.text(Webhooks.newWamid(), CUSTOMER, "are you there?");
    REDIS.server().kill();
    assertThat(Webhooks.postSigned(port(), body).statusCode()).isEqualTo(503);
    assertThat(Webhooks.get(port(), "/health/ready").statusCode()).isEqualTo(503);

    REDIS.server().start();
    holdInbound();
    poll("Meta's redelivery to be stored").until(() -> Webhooks.postSigned(port(), body).statusCode() == 200);
    assertThat(Webhooks.postSigned(port(), body).statusCode()).isEqualTo(200);
    assertThat(waiting()).isEqualTo(1);
    assertThat(Webhooks.get(port(), "/health/ready").statusCode()).isEqualTo(200);
  }
}
