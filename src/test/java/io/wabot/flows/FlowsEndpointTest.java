package io.wabot.flows;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.Application;
import io.wabot.config.FlowsKey;
import io.wabot.redis.RedisClients;
import io.wabot.sandbox.FlowsClientSimulator.Exchange;
import io.wabot.sandbox.FlowsClientSimulator;
import io.wabot.testing.KeyFiles;
import io.wabot.testing.LogCapture;
import io.wabot.testing.NodeCrypto;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /flows} in the running service, driven as Meta would, against the shipped reserve_item flow. */
class FlowsEndpointTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  @TempDir
  static Path dir;
  static Path privateFile;
  static Path publicFile;
  static FlowsKey key;

  static final String CUSTOMER = "16505551234";
  static final String P = "wabot:{bot}:";
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private Application app;
  private Redis redis;
  private FlowTokens tokens;
  private FlowsClientSimulator meta;

  @BeforeAll
  static void keys() throws Exception {
    privateFile = KeyFiles.genrsa(dir, "flows.pem", "-des3");
    publicFile = KeyFiles.publicOf(privateFile, KeyFiles.PASSPHRASE);
    key = FlowsKey.read(KeyFiles.read(privateFile), KeyFiles.PASSPHRASE);
  }

  static Map<String, String> env(Path keyFile) {
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    env.put("WHATSAPP_FLOWS_PRIVATE_KEY", keyFile.toString());
    env.put("WHATSAPP_FLOWS_PRIVATE_KEY_PASSPHRASE", KeyFiles.PASSPHRASE);
    return env;
  }

  @BeforeEach
  void start() {
    app = TestApps.start(TestApps.config(env(privateFile), new JsonObject().put("flows", new JsonObject().put("bodyLimit", "8KiB"))));
    redis = RedisClients.pooled(app.vertx(), app.config().redis());
    tokens = new FlowTokens(redis, app.config());
    meta = new FlowsClientSimulator(app.vertx(), "http://127.0.0.1:" + app.httpPort(), TestApps.APP_SECRET, key::publicKey);
  }

  @AfterEach
  void stop() {
    meta.close();
    redis.close();
    TestApps.stop(app);
  }

  private String token(String sku) {
    return await(tokens.issue(CUSTOMER, "reserve_item", new JsonObject().put("sku", sku))).value();
  }

  private HttpResponse<String> post(String body, String signature) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + "/flows"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      request.header("X-Hub-Signature-256", signature);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("Meta's health check, encrypted and read back by Node's crypto, is answered {\"data\":{\"status\":\"active\"}}")
  void pingWithIndependentCrypto() throws Exception {
    NodeCrypto.Request request = NodeCrypto.encryptRequest(publicFile, new JsonObject().put("version", "3.0").put("action", "ping"));
    String body = request.body().encode();
    HttpResponse<String> response = post(body, Webhooks.sign(body));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/plain");
    assertThat(NodeCrypto.decryptResponse(request, response.body()))
        .isEqualTo(new JsonObject().put("data", new JsonObject().put("status", "active")));
  }

  @Test
  @DisplayName("a customer reserves an item: INIT, quantity, delivery slot from the catalog's stock, name, and the flow closes")
  void reservation() {
    String token = token("AUD-001");
    try (LogCapture logs = LogCapture.of(FlowsRoutes.class)) {
      Exchange opened = await(meta.init(token));
      assertThat(opened.status()).isEqualTo(200);
      assertThat(opened.screen()).isEqualTo("QUANTITY");
      assertThat(opened.data().getString("item_name")).isEqualTo("Nimbus ANC 700 Wireless Noise-Cancelling Headphones");
      assertThat(opened.data().getJsonArray("quantities")).hasSize(5);

      Exchange delivery = await(meta.dataExchange(token, "QUANTITY", new JsonObject().put("quantity", "2").put("fulfilment", "delivery")));
      assertThat(delivery.screen()).isEqualTo("DELIVERY");
      JsonArray slots = delivery.data().getJsonArray("slots");
      assertThat(slots).hasSize(6);

      String slot = slots.getJsonObject(1).getString("id");
      Exchange contact = await(meta.dataExchange(token, "DELIVERY", new JsonObject().put("quantity", "2").put("slot", slot)
          .put("address", "12 Privet Drive")));
      assertThat(contact.screen()).isEqualTo("CONTACT");
      assertThat(contact.data().getString("summary")).startsWith("2 × Nimbus").contains(slots.getJsonObject(1).getString("title"));

      Exchange closed = await(meta.dataExchange(token, "CONTACT", contact.data().copy().put("customer_name", "Ada Lovelace")));
      assertThat(closed.status()).isEqualTo(200);
      assertThat(closed.screen()).isEqualTo("SUCCESS");
      assertThat(closed.data().getJsonObject("extension_message_response").getJsonObject("params")).isEqualTo(new JsonObject()
          .put("flow_token", token).put("sku", "AUD-001").put("quantity", 2).put("fulfilment", "delivery").put("slot", slot)
          .put("slot_title", slots.getJsonObject(1).getString("title")).put("address", "12 Privet Drive").put("customer_name", "Ada Lovelace"));

      assertThat(logs.named("flows.exchange")).hasSize(4).allSatisfy(e -> {
        assertThat(LogCapture.value(e, "flow")).isEqualTo("reserve_item");
        assertThat(LogCapture.value(e, "customer")).isEqualTo("****1234");
      });
      assertThat(logs.events()).as("form data and the token never reach a log").noneSatisfy(e -> assertThat(text(e))
          .containsAnyOf("Ada Lovelace", "Privet", token, CUSTOMER));
    }
  }

  @Test
  @DisplayName("pickup skips the delivery screen; too many items get an error on the same screen, from the live stock")
  void pickupAndStock() {
    String token = token("AUD-004");
    Exchange tooMany = await(meta.dataExchange(token, "QUANTITY", new JsonObject().put("quantity", "5").put("fulfilment", "pickup")));
    assertThat(tooMany.screen()).isEqualTo("QUANTITY");
    assertThat(tooMany.data().getString("error_message")).isEqualTo("Only 4 left: pick up to 4.");
    Exchange pickup = await(meta.dataExchange(token, "QUANTITY", new JsonObject().put("quantity", "1").put("fulfilment", "pickup")));
    assertThat(pickup.screen()).isEqualTo("CONTACT");
    assertThat(pickup.data().getString("fulfilment")).isEqualTo("pickup");
  }

  @Test
  @DisplayName("unknown, expired, used and out-of-stock flows get 427 with a message for the customer")
  void tokens() {
    try (LogCapture logs = LogCapture.of(FlowsRoutes.class)) {
      Exchange unknown = await(meta.init("wbf1.never-issued-by-this-bot"));
      assertThat(unknown.status()).isEqualTo(427);
      assertThat(unknown.answer().getString("error_msg")).contains("no longer available");

      String expired = token("AUD-001");
      REDIS.server().command("HSET", P + "flowtoken:" + expired, "exp", "1");
      Exchange late = await(meta.init(expired));
      assertThat(late.status()).isEqualTo(427);
      assertThat(late.answer().getString("error_msg")).contains("expired");

      String used = token("AUD-001");
      assertThat(await(tokens.complete(used, CUSTOMER))).isInstanceOf(FlowTokenCheck.Valid.class);
      assertThat(await(meta.dataExchange(used, "QUANTITY", new JsonObject())).status()).isEqualTo(427);

      Exchange soldOut = await(meta.init(token("AUD-002")));
      assertThat(soldOut.status()).isEqualTo(427);
      assertThat(soldOut.answer().getString("error_msg")).isEqualTo("Sorry, Nimbus Buds Pro is out of stock now.");
      assertThat(metrics()).contains("outcome=\"token_unknown\"").contains("outcome=\"token_expired\"")
          .contains("outcome=\"token_used\"").contains("outcome=\"no_longer_available\"");
      assertThat(logs.named("flows.exchange")).extracting(e -> LogCapture.value(e, "outcome"))
          .containsExactly("token_unknown", "token_expired", "token_used", "no_longer_available");
    }
  }

  @Test
  @DisplayName("an unknown action or screen gets 400; an error notification is acknowledged")
  void unknownActionsScreensAndNotifications() {
    String token = token("AUD-001");
    try (LogCapture logs = LogCapture.of(FlowsRoutes.class)) {
      assertThat(await(meta.send(new JsonObject().put("version", "3.0").put("action", "teleport").put("flow_token", token)))
          .status()).isEqualTo(400);
      assertThat(await(meta.dataExchange(token, "NOWHERE", new JsonObject())).status()).isEqualTo(400);
      assertThat(logs.named("flows.exchange")).extracting(e -> LogCapture.value(e, "outcome"))
          .containsExactly("unknown_action", "unknown_screen");
    }
    Exchange ack = await(meta.errorNotification(token, "QUANTITY", "invalid-screen-transition", "no route"));
    assertThat(ack.status()).isEqualTo(200);
    assertThat(ack.answer()).isEqualTo(new JsonObject().put("version", "3.0").put("data", new JsonObject().put("acknowledged", true)));
    assertThat(metrics()).contains("outcome=\"unknown_action\"").contains("outcome=\"unknown_screen\"")
        .contains("outcome=\"error_notification\"");
  }

  @Test
  @DisplayName("a wrong or missing signature gets 401, a body that is no Flows request 400, one for another key 421, a huge one 413")
  void refusedBeforeDecryption() throws Exception {
    String body = NodeCrypto.encryptRequest(publicFile, new JsonObject().put("version", "3.0").put("action", "ping")).body().encode();
    assertThat(post(body, null).statusCode()).isEqualTo(401);
    assertThat(post(body, "sha256=" + "0".repeat(64)).statusCode()).isEqualTo(401);
    String notFlows = new JsonObject().put("hello", "world").encode();
    assertThat(post(notFlows, Webhooks.sign(notFlows)).statusCode()).isEqualTo(400);
    Path other = KeyFiles.publicOf(KeyFiles.genrsa(dir, "other.pem"), null);
    String forOther = NodeCrypto.encryptRequest(other, new JsonObject().put("action", "ping")).body().encode();
    HttpResponse<String> misdirected = post(forOther, Webhooks.sign(forOther));
    assertThat(misdirected.statusCode()).isEqualTo(421);
    assertThat(misdirected.body()).isEmpty();
    assertThat(statusOfDeclaredLength(16 * 1024 * 1024)).as("a huge body is refused from its Content-Length").isEqualTo(413);
    assertThat(metrics())
        .containsPattern("wabot_http_rejected_total\\{[^}]*endpoint=\"flows\"[^}]*reason=\"signature\"[^}]*\\} 2\\.0")
        .containsPattern("wabot_http_rejected_total\\{[^}]*endpoint=\"flows\"[^}]*reason=\"undecryptable\"[^}]*\\} 1\\.0")
        .containsPattern("wabot_http_rejected_total\\{[^}]*endpoint=\"flows\"[^}]*reason=\"bad_request\"[^}]*\\} 1\\.0");
  }

  /**
   * The status answered to a signed request that declares {@code length} bytes, sent without its body: the
   * server refuses it unread, and a client that had started sending would race the server's close.
   */
  private int statusOfDeclaredLength(long length) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", app.httpPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("POST /flows HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
          + "X-Hub-Signature-256: sha256=" + "0".repeat(64) + "\r\nContent-Length: " + length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          StandardCharsets.US_ASCII)).readLine();
      return Integer.parseInt(statusLine.split(" ")[1]);
    }
  }

  private String metrics() {
    try {
      return Webhooks.get(app.httpPort(), "/metrics").body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(ILoggingEvent event) {
    return event.getFormattedMessage() + " " + event.getKeyValuePairs();
  }
}
