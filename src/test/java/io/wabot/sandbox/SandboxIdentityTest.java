package io.wabot.sandbox;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.config.WhatsAppConfig;
import io.wabot.testing.CustomerKeys;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.StoredStatuses;
import io.wabot.testing.TestApps;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sandbox customers whose phone number is hidden, or who change it, talking to the real pipeline. */
class SandboxIdentityTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String P = "wabot:{bot}:";

  private SandboxApp sandbox;

  @BeforeEach
  void start() {
    sandbox = new SandboxApp(REDIS.url());
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private String keyOf(String id) {
    return CustomerKeys.keyOf(REDIS.server(), P, sandbox.app.config().whatsapp().phoneNumberId(), id);
  }

  private List<JsonObject> botEntries(String chat) throws Exception {
    JsonArray entries = sandbox.json("GET", "/sandbox/api/customers/" + chat + "/conversation", new JsonObject())
        .getJsonArray("entries");
    return entries.stream().map(JsonObject.class::cast).filter(e -> "bot".equals(e.getString("from"))).toList();
  }

  private JsonObject say(String chat, String text) throws Exception {
    JsonObject sent = sandbox.json("POST", "/sandbox/api/customers/" + chat + "/messages",
        new JsonObject().put("type", "text").put("text", text));
    assertThat(sent.getInteger("webhookStatus")).isEqualTo(200);
    return sent;
  }

  @Test
  @DisplayName("a customer with a username and a hidden number converses end to end, answered by BSUID in recipient")
  void usernameCustomer() throws Exception {
    JsonObject ana = sandbox.json("POST", "/sandbox/api/customers", new JsonObject().put("name", "Ana López").put("phoneHidden", true)
        .put("username", "@ana.lopez").put("country", "MX").put("locale", "es_MX"));
    String chat = ana.getString("number");
    assertThat(ana.getString("phone")).isNull();
    assertThat(ana.getString("userId")).isEqualTo(chat).startsWith("MX.");
    assertThat(ana.getString("label")).isEqualTo("@ana.lopez · phone hidden");

    say(chat, "hola");
    poll("the condition").until(() -> botEntries(chat).size() == 1);
    JsonObject reply = botEntries(chat).get(0);
    assertThat(reply.getString("text")).contains("Ana").contains("[Ver productos]");
    assertThat(reply.getJsonObject("message").getString("recipient")).isEqualTo(chat);
    assertThat(reply.getJsonObject("message").containsKey("to")).isFalse();
    String replyWamid = reply.getString("wamid");
    poll("statuses naming only the BSUID are stored").until(() -> "delivered".equals(StoredStatuses.statusOf(sandbox.app, replyWamid)));
  }

  @Test
  @DisplayName("a customer who changes number keeps their conversation and is answered at the new number")
  void changesNumber() throws Exception {
    String chat = sandbox.json("POST", "/sandbox/api/customers", new JsonObject().put("name", "Sam").put("number", "16505551234"))
        .getString("number");
    say(chat, "hi");
    poll("the condition").until(() -> botEntries(chat).size() == 1);
    String key = keyOf("16505551234");

    JsonObject changed = sandbox.json("POST", "/sandbox/api/customers/" + chat + "/change-number",
        new JsonObject().put("number", "16505559999"));
    assertThat(changed.getInteger("webhookStatus")).isEqualTo(200);
    assertThat(changed.getJsonObject("customer").getString("number")).as("the same chat").isEqualTo(chat);
    assertThat(changed.getJsonObject("customer").getString("phone")).isEqualTo("16505559999");
    poll("the condition").until(() -> key.equals(keyOf("16505559999")));

    say(chat, "2"); // the second option of the menu the bot sent before the change: state carried over
    poll("the condition").until(() -> botEntries(chat).size() == 2);
    JsonObject reply = botEntries(chat).get(1);
    assertThat(reply.getString("text")).contains("What are you looking for?");
    assertThat(reply.getJsonObject("message").getString("to")).isEqualTo("16505559999");

    assertThat(sandbox.call("POST", "/sandbox/api/customers/" + chat + "/change-number", new JsonObject()).statusCode())
        .as("a customer who shares the number changes to a number").isEqualTo(400);
  }

  @Test
  @DisplayName("a username customer who changes number stays hidden: a new BSUID, the same conversation")
  void hiddenCustomerChangesNumber() throws Exception {
    String chat = sandbox.json("POST", "/sandbox/api/customers", new JsonObject().put("name", "Kim").put("phoneHidden", true)
        .put("username", "kim_1").put("country", "US")).getString("number");
    say(chat, "hi");
    poll("the condition").until(() -> botEntries(chat).size() == 1);
    JsonObject after = sandbox.json("POST", "/sandbox/api/customers/" + chat + "/change-number", new JsonObject())
        .getJsonObject("customer");
    String newBsuid = after.getString("userId");
    assertThat(newBsuid).isNotEqualTo(chat).startsWith("US.");
    say(chat, "menu");
    poll("the condition").until(() -> botEntries(chat).size() == 2);
    assertThat(botEntries(chat).get(1).getJsonObject("message").getString("recipient")).isEqualTo(newBsuid);
    assertThat(keyOf(newBsuid)).isEqualTo(keyOf(chat));
  }

  @Test
  @DisplayName("a BSUID in to, which Meta accepts and never delivers, is shown in the event panel and gets no ticks")
  void undeliverableShown() throws Exception {
    String chat = sandbox.json("POST", "/sandbox/api/customers", new JsonObject().put("name", "Kim").put("phoneHidden", true)
        .put("username", "kim_1").put("country", "US")).getString("number");
    JsonObject wrong = new JsonObject().put("messaging_product", "whatsapp").put("recipient_type", "individual")
        .put("to", chat).put("type", "text").put("text", new JsonObject().put("body", "lost"));
    sandbox.app.vertx().eventBus().publish(SandboxVerticle.ACCEPTED_ADDRESS,
        new AcceptedMessage("wamid.LOST", chat, "text", wrong, Instant.now(), WhatsAppConfig.SANDBOX_PHONE_NUMBER_ID).toJson());

    poll("the condition").until(() -> sandbox.json("GET", "/sandbox/api/state", new JsonObject()).getJsonArray("traces").stream()
        .map(JsonObject.class::cast).anyMatch(t -> "graph.undeliverable".equals(t.getString("name"))
            && chat.equals(t.getString("customer")) && "wamid.LOST".equals(t.getString("correlationId"))));
    assertThat(botEntries(chat)).singleElement().satisfies(e -> assertThat(e.getString("status")).isNull());
  }

  @Test
  @DisplayName("bad usernames and countries get a clear 400")
  void badInput() throws Exception {
    JsonObject hidden = new JsonObject().put("name", "X").put("phoneHidden", true);
    assertThat(sandbox.call("POST", "/sandbox/api/customers", hidden.copy().put("username", "@")).body())
        .contains("username must be");
    assertThat(sandbox.call("POST", "/sandbox/api/customers", hidden.copy().put("username", "@abc").put("country", "Mexico"))
        .body()).contains("two-letter ISO code");
    assertThat(sandbox.call("POST", "/sandbox/api/customers/nobody/change-number", new JsonObject()).statusCode()).isEqualTo(400);
  }
}
