package io.wabot.conversation;

import static io.wabot.conversation.Bot.buttons;
import static io.wabot.conversation.Bot.list;
import static io.wabot.conversation.Bot.listStartingWith;
import static io.wabot.conversation.Bot.text;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.customer.CustomerDirectory;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.StoredStatuses;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import io.wabot.webhook.WebhookRoutes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Customers without a phone number (WhatsApp usernames) and customers whose ids change, through the
 * whole service: signed webhooks, the alias map, the queue, the conversation workers and the sender,
 * against a real Redis and a Graph API simulator.
 */
class CustomerIdentityEndToEndTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String ADMIN_TOKEN = "admin-token-for-tests-0001";
  static final String AGENT = "5215500000001";
  static final String SHEENA_BSUID = "US.13491208655302741918";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  WebhookChat chat;

  @BeforeEach
  void start() {
    chat = new WebhookChat(REDIS.server(), Map.of("ADMIN_TOKEN", ADMIN_TOKEN, "AGENT_WHATSAPP_NUMBER", AGENT));
  }

  @AfterEach
  void stop() {
    chat.close();
  }

  @Test
  @DisplayName("a customer with a username and no phone number holds the whole sales conversation, every reply by recipient")
  void usernameCustomerBuys() {
    WebhookCustomer sheena = chat.usernameCustomer(SHEENA_BSUID, "@realsheenanelson", "Sheena Nelson");
    sheena.says("Hi!").botReplies(buttons("Hi Sheena! 👋", "Browse products", "Search", "Talk to a person"))
        .addressedByBsuid(SHEENA_BSUID);
    sheena.taps("Browse products").botReplies(listStartingWith("Pick a category", "Audio", "Phones")).addressedByBsuid(SHEENA_BSUID);
    sheena.taps("Audio").botReplies(listStartingWith("We have 6 products in Audio")).addressedByBsuid(SHEENA_BSUID);
    sheena.taps("Volta Studio Headphones")
        .botReplies(buttons("⚠️ Only 4 left\nPrice: US$149", "Reserve it", "Back", "Talk to a person"))
        .addressedByBsuid(SHEENA_BSUID);
    sheena.taps("Reserve it").botReplies(text("I've asked our sales team to reserve *Volta Studio Headphones*"))
        .addressedByBsuid(SHEENA_BSUID);

    List<RecordedRequest> toSheena = chat.requests().stream().filter(r -> !"read".equals(r.kind())
        && !AGENT.equals(r.recipient())).toList();
    assertThat(toSheena).hasSize(5).allSatisfy(r -> assertThat(r.body().containsKey("to")).isFalse());
    assertThat(chat.requests()).filteredOn(r -> "read".equals(r.kind())).hasSize(5);
    RecordedRequest team = chat.requests().stream().filter(r -> AGENT.equals(r.recipient())).findFirst().orElseThrow();
    assertThat(Bot.visibleText(team.body())).as("the team sees who it is and how to answer")
        .contains("Sheena Nelson (@realsheenanelson, number hidden)", "Their number is hidden")
        .doesNotContain("wa.me");
  }

  @Test
  @DisplayName("without a phone number the BSUID's country chooses the language; choosing one still wins")
  void localeFromBsuid() {
    WebhookCustomer ana = chat.usernameCustomer("MX.80001234567890123456", "@ana.lopez", "Ana López");
    ana.says("hola").botReplies(buttons("¡Qué tal, Ana! 👋", "Ver productos", "Buscar", "Hablar con asesor"));
    ana.says("English").botReplies(buttons("Got it, I'll write in English", "Browse products", "Search", "Talk to a person"));
    ana.says("hola").botReplies(buttons("Hi Ana!", "Browse products", "Search", "Talk to a person"));
  }

  @Test
  @DisplayName("a customer known by phone keeps being addressed by phone after their BSUID appears, even once it is hidden")
  void phoneCustomerKeepsPhone() {
    WebhookCustomer sam = chat.customer("16505551234", null, "Sam Taylor");
    sam.says("hi").botReplies(buttons("Hi Sam!", "Browse products", "Search", "Talk to a person"))
        .addressedByPhone("16505551234");
    String key = sam.key();

    sam.nowKnownAs("16505551234", "US.20000000000000000001").taps("Browse products")
        .botReplies(listStartingWith("Pick a category")).addressedByPhone("16505551234");
    assertThat(chat.keyOf("US.20000000000000000001")).as("the BSUID joined the same customer").isEqualTo(key);

    sam.nowKnownAs(null, "US.20000000000000000001").says("2")
        .botReplies(list("We have 4 products in Phones", "Orbit X5 128 GB", "Orbit X5 Pro 256 GB", "Orbit A2", "Orbit Fold",
            "⬅ All categories"))
        .addressedByPhone("16505551234");
  }

  /** A way WhatsApp says a customer's ids changed, and the ids they have before and after. */
  record Rotation(String name, String phoneBefore, String bsuidBefore, String phoneAfter, String bsuidAfter) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> rotations() {
    return Stream.of(
        Arguments.of(new Rotation("user_changed_user_id, new id in system.user_id",
            null, "US.30000000000000000001", null, "US.30000000000000000002")),
        Arguments.of(new Rotation("user_changed_user_id, old id in system.previous_user_id",
            null, "US.30000000000000000003", null, "US.30000000000000000004")),
        Arguments.of(new Rotation("user_changed_number, new number in system.wa_id and a new BSUID",
            "16505550001", "US.30000000000000000005", "16505550002", "US.30000000000000000006")),
        Arguments.of(new Rotation("user_changed_number, older shape with system.new_wa_id and no BSUID",
            "16505550003", null, "16505550004", null)),
        Arguments.of(new Rotation("the user_id_update webhook field",
            null, "US.30000000000000000007", null, "US.30000000000000000008")));
  }

  /** Posts what WhatsApp sends when this customer's ids change. */
  void rotate(Rotation rotation, WebhookCustomer customer) {
    String name = rotation.name();
    if (name.startsWith("the user_id_update")) {
      JsonObject update = new JsonObject().put("detail", "User id for Kim has been updated.").put("timestamp", "1749416400")
          .put("user_id", new JsonObject().put("previous", rotation.bsuidBefore()).put("current", rotation.bsuidAfter()));
      assertThat(chat.post("user_id_update", new JsonObject().put("user_id_update", new JsonArray().add(update))))
          .isEqualTo(200);
    } else if (name.contains("previous_user_id")) {
      customer.nowKnownAs(rotation.phoneAfter(), rotation.bsuidAfter()).sendsSystem(new JsonObject()
          .put("type", "user_changed_user_id").put("previous_user_id", rotation.bsuidBefore())
          .put("body", "User Kim changed from " + rotation.bsuidBefore() + " to " + rotation.bsuidAfter()));
    } else if (name.startsWith("user_changed_user_id")) {
      customer.sendsSystem(new JsonObject().put("type", "user_changed_user_id").put("user_id", rotation.bsuidAfter())
          .put("body", "User Kim changed from " + rotation.bsuidBefore() + " to " + rotation.bsuidAfter()));
    } else {
      JsonObject system = new JsonObject().put("type", "user_changed_number")
          .put("body", "User Kim changed from " + rotation.phoneBefore() + " to " + rotation.phoneAfter());
      system.put(name.contains("new_wa_id") ? "new_wa_id" : "wa_id", rotation.phoneAfter());
      if (rotation.bsuidAfter() != null) {
        system.put("user_id", rotation.bsuidAfter());
      }
      customer.sendsSystem(system).botSaysNothing();
    }
    customer.nowKnownAs(rotation.phoneAfter(), rotation.bsuidAfter());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rotations")
  @DisplayName("a change of ids keeps the conversation, the consent and the hand-off")
  void rotationKeepsEverything(Rotation rotation) {
    WebhookCustomer kim = new WebhookCustomer(chat, rotation.phoneBefore(), rotation.bsuidBefore(), null, "Kim");
    kim.says("hi").taps("Talk to a person").botReplies(text("a person will reply right here"));
    String key = kim.key();
    JsonObject optOut = new JsonObject().put("category", "marketing_messages").put("value", "stop")
        .put("detail", "User requested to stop marketing messages").put("timestamp", 1749416393L);
    optOut.put(rotation.bsuidBefore() != null ? "user_id" : "wa_id",
        rotation.bsuidBefore() != null ? rotation.bsuidBefore() : rotation.phoneBefore());
    assertThat(chat.post("user_preferences", new JsonObject().put("user_preferences", new JsonArray().add(optOut))))
        .isEqualTo(200);

    rotate(rotation, kim);

    assertThat(kim.key()).as("the new ids lead to the same customer").isEqualTo(key);
    kim.says("hello? anyone?").botSaysNothing(); // the hand-off goes on: a person has the conversation
    assertThat(chat.get("optout-marketing:" + key)).as("the marketing opt-out still applies").isNotNull();
    kim.says("menu").botReplies(buttons("Okay, I'm back!", "Browse products", "Search", "Talk to a person"));
    if (rotation.phoneAfter() != null) {
      kim.addressedByPhone(rotation.phoneAfter());
    } else {
      kim.addressedByBsuid(rotation.bsuidAfter());
    }
    if (rotation.name().startsWith("user_changed_number") && rotation.phoneBefore() != null) {
      assertThat(chat.keyOf(rotation.phoneBefore())).as("a number given up leads nowhere: it may be someone else's next")
          .isNull();
    }
  }

  @Test
  @DisplayName("a STOP from a customer with a username is honoured, also after their BSUID changes, until START")
  void usernameOptOut() {
    WebhookCustomer sheena = chat.usernameCustomer(SHEENA_BSUID, "@realsheenanelson", "Sheena Nelson");
    sheena.says("hi").says("STOP").botReplies(text("won't get any more messages from us"))
        .addressedByBsuid(SHEENA_BSUID);
    sheena.says("hi").botSaysNothing();
    sheena.sendsSystem(new JsonObject().put("type", "user_changed_user_id").put("user_id", "US.13491208655302749999")
        .put("body", "User Sheena changed"));
    sheena.nowKnownAs(null, "US.13491208655302749999").says("hello again").botSaysNothing();
    sheena.says("START").botReplies(buttons("Welcome back", "Browse products", "Search", "Talk to a person"))
        .addressedByBsuid("US.13491208655302749999");
  }

  @Test
  @DisplayName("two known customers are never merged by a message naming both: the conflict is logged, counted and left to an operator")
  void conflictsAreNotMerged() throws Exception {
    WebhookCustomer byPhone = chat.customer("16505551111", null, "Lee");
    byPhone.says("hi");
    WebhookCustomer byUsername = chat.usernameCustomer("US.40000000000000000001", "@lee", "Lee");
    byUsername.says("hi");
    String phoneKey = byPhone.key();
    String bsuidKey = byUsername.key();
    assertThat(phoneKey).isNotEqualTo(bsuidKey);

    try (LogCapture logs = LogCapture.of(CustomerDirectory.class)) {
      WebhookCustomer both = chat.customer("16505551111", "US.40000000000000000001", "Lee");
      both.says("menu").botReplies(Bot.anything());
      assertThat(logs.named("customer.alias_conflict")).hasSize(1);
      assertThat(logs.events().toString()).doesNotContain("16505551111").doesNotContain("40000000000000000001");
    }
    assertThat(chat.keyOf("16505551111")).isEqualTo(phoneKey);
    assertThat(chat.keyOf("US.40000000000000000001")).isEqualTo(bsuidKey);
    assertThat(chat.metrics()).contains("wabot_customers_conflicts_total 1.0");

    JsonObject conflicts = new JsonObject(admin("GET", "/admin/customers/conflicts", null).body());
    assertThat(conflicts.getJsonArray("conflicts")).hasSize(1);
    assertThat(conflicts.getJsonArray("conflicts").getJsonObject(0).getJsonArray("keys").stream().toList())
        .containsExactlyInAnyOrder(phoneKey, bsuidKey);

    HttpResponse<String> merged = admin("POST", "/admin/customers/merge",
        new JsonObject().put("from", "16505551111").put("into", "US.40000000000000000001"));
    assertThat(merged.statusCode()).as(merged.body()).isEqualTo(200);
    assertThat(chat.keyOf("16505551111")).as("after the operator's merge").isEqualTo(bsuidKey);
    assertThat(new JsonObject(admin("GET", "/admin/customers/conflicts", null).body()).getJsonArray("conflicts")).isEmpty();
    JsonObject customer = new JsonObject(admin("GET", "/admin/customers/16505551111", null).body());
    assertThat(customer.getString("key")).isEqualTo(bsuidKey);
    assertThat(customer.getJsonArray("aliases").stream().toList()).contains("p:16505551111", "u:US.40000000000000000001");
    assertThat(admin("POST", "/admin/customers/merge", new JsonObject().put("from", "16505551111")
        .put("into", "US.40000000000000000001")).statusCode()).as("the same customer now").isEqualTo(400);
    assertThat(admin("GET", "/admin/customers/US.49999999999999999999", null).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("statuses naming only the BSUID move the message's status forward; one naming an unknown BSUID is still stored, and reported")
  void statusesByBsuid() throws Exception {
    WebhookCustomer sheena = chat.usernameCustomer(SHEENA_BSUID, "@realsheenanelson", "Sheena Nelson");
    sheena.says("hi");
    String wamid = sheena.lastRequests().get(0).wamid();
    JsonArray statuses = new JsonArray()
        .add(new JsonObject().put("id", wamid).put("status", "delivered").put("timestamp", "1749416390")
            .put("recipient_user_id", SHEENA_BSUID).put("parent_recipient_user_id", "US.ENT.11815799212886844830"))
        .add(new JsonObject().put("id", wamid).put("status", "read").put("timestamp", "1749416391")
            .put("recipient_user_id", SHEENA_BSUID).put("recipient_parent_user_id", "US.ENT.11815799212886844830"));
    assertThat(chat.post("messages", new JsonObject().put("statuses", statuses))).isEqualTo(200);
    assertThat(new JsonObject(admin("GET", "/admin/messages/" + wamid, null).body()).getString("status")).isEqualTo("read");

    try (LogCapture logs = LogCapture.of(WebhookRoutes.class)) {
      assertThat(chat.post("messages", new JsonObject().put("statuses", new JsonArray().add(new JsonObject()
          .put("id", "wamid.NOT_OURS").put("status", "delivered").put("timestamp", "1749416392")
          .put("recipient_user_id", "US.99999999999999999999"))))).isEqualTo(200);
      // logged just after the 200 goes out
      poll("the condition").until(() -> logs.named("outbound.status_unknown_recipient").size() == 1);
    }
    assertThat(new JsonObject(admin("GET", "/admin/messages/wamid.NOT_OURS", null).body()).getString("status"))
        .as("correlated by message id, whoever it names").isEqualTo("delivered");
    assertThat(chat.metrics()).contains("wabot_webhook_status_unknown_recipient_total{number=\"" + TestApps.NUMBER_LABEL + "\"} 1.0");
  }

  @Test
  @DisplayName("a POST mixing a valid message, one naming nobody and a BSUID-only one answers 200 and processes exactly the two valid ones")
  void mixedBatch() throws Exception {
    String valid = Webhooks.newWamid();
    String nobody = Webhooks.newWamid();
    String bsuidOnly = Webhooks.newWamid();
    JsonObject value = new JsonObject()
        .put("contacts", new JsonArray()
            .add(new JsonObject().put("wa_id", "16505552222").put("user_id", "US.50000000000000000001")
                .put("profile", new JsonObject().put("name", "Pat")))
            .add(new JsonObject().put("user_id", "US.50000000000000000002")
                .put("profile", new JsonObject().put("name", "Quinn").put("username", "@quinn"))))
        .put("messages", new JsonArray()
            .add(textMessage(valid, "hi").put("from", "16505552222").put("from_user_id", "US.50000000000000000001"))
            .add(textMessage(nobody, "hi"))
            .add(textMessage(bsuidOnly, "hi").put("from_user_id", "US.50000000000000000002")));
    try (LogCapture logs = LogCapture.of(WebhookRoutes.class)) {
      assertThat(chat.post("messages", value)).isEqualTo(200);
      poll("logged just after the 200").until(() -> !logs.named("webhook.skipped").isEmpty());
      assertThat(logs.named("webhook.skipped")).singleElement()
          .satisfies(e -> assertThat(String.valueOf(LogCapture.value(e, "reasons"))).contains("message:no_identity=1"));
    }
    chat.awaitHandled(valid);
    chat.awaitHandled(bsuidOnly);
    assertThat(chat.exists("inbound:dedup:" + nobody)).as("the message naming nobody was never queued").isFalse();
    assertThat(chat.requests()).filteredOn(r -> "16505552222".equals(r.recipient()) && !"read".equals(r.kind())).hasSize(1);
    assertThat(chat.requests()).filteredOn(r -> "US.50000000000000000002".equals(r.recipient()) && !"read".equals(r.kind()))
        .singleElement().satisfies(r -> assertThat(r.body().getString("recipient")).isEqualTo("US.50000000000000000002"));
    assertThat(chat.metrics()).contains("wabot_webhook_skipped_total{kind=\"message\",number=\"" + TestApps.NUMBER_LABEL + "\",reason=\"no_identity\"} 1.0");
  }

  @Test
  @DisplayName("malformed sender fields never cause a 500 or a retry: what names a customer is answered, the rest is counted")
  void badSenders() {
    String bsuidInFrom = Webhooks.newWamid();
    String junkFromValidBsuid = Webhooks.newWamid();
    String junkFrom = Webhooks.newWamid();
    String emptyFrom = Webhooks.newWamid();
    String emptyUserId = Webhooks.newWamid();
    JsonObject value = new JsonObject().put("messages", new JsonArray()
        .add(textMessage(bsuidInFrom, "hi").put("from", "US.60000000000000000001"))
        .add(textMessage(junkFromValidBsuid, "hi").put("from", "+1 (650) 555").put("from_user_id", "US.60000000000000000002"))
        .add(textMessage(junkFrom, "hi").put("from", "robert'); DROP TABLE"))
        .add(textMessage(emptyFrom, "hi").put("from", ""))
        .add(textMessage(emptyUserId, "hi").put("from_user_id", "")))
        .put("statuses", new JsonArray().add(new JsonObject().put("id", "wamid.X").put("status", "sent")
            .put("recipient_user_id", "not a bsuid")));
    assertThat(chat.post("messages", value)).isEqualTo(200);
    chat.awaitHandled(bsuidInFrom);
    chat.awaitHandled(junkFromValidBsuid);
    assertThat(chat.requests()).filteredOn(r -> !"read".equals(r.kind())).extracting(RecordedRequest::recipient)
        .containsExactlyInAnyOrder("US.60000000000000000001", "US.60000000000000000002");
    assertThat(chat.requests()).allSatisfy(r -> assertThat(r.undeliverable()).isFalse());
    for (String skipped : List.of(junkFrom, emptyFrom, emptyUserId)) {
      assertThat(chat.exists("inbound:dedup:" + skipped)).isFalse();
    }
    assertThat(chat.count("inbound:dead:*")).isZero();
    String metrics = chat.metrics();
    assertThat(metrics).contains("wabot_webhook_skipped_total{kind=\"message\",number=\"" + TestApps.NUMBER_LABEL + "\",reason=\"invalid_sender\"} 3.0")
        .contains("wabot_webhook_sender_issues_total{number=\"" + TestApps.NUMBER_LABEL + "\",reason=\"bsuid_in_from\"} 1.0")
        .contains("wabot_webhook_sender_issues_total{number=\"" + TestApps.NUMBER_LABEL + "\",reason=\"invalid_from\"} 1.0");
    assertThat(StoredStatuses.statusOf(chat.app, "wamid.X"))
        .as("a status with a malformed recipient is stored by message id").isEqualTo("sent");
  }

  @Test
  @DisplayName("after an upgrade a customer known by phone number keeps their opt-out and language, under that number")
  void upgradeKeepsPhoneKeyedState() {
    REDIS.server().command("SET", chat.prefix + "optout:5215577778888", "{\"at\":\"2026-03-01T10:00:00Z\",\"source\":\"KEYWORD\"}");
    REDIS.server().command("SET", chat.prefix + "locale:5215577778888", "en");
    WebhookCustomer old = chat.customer("5215577778888", "MX.70000000000000000001", "Old Friend");
    old.says("hola").botSaysNothing();
    assertThat(old.key()).as("the number stays their key").isEqualTo("5215577778888");
    old.says("START").botReplies(buttons("Welcome back", "Browse products", "Search", "Talk to a person"))
        .addressedByPhone("5215577778888");
  }

  private static JsonObject textMessage(String wamid, String body) {
    return new JsonObject().put("id", wamid).put("timestamp", Long.toString(System.currentTimeMillis() / 1000))
        .put("type", "text").put("text", new JsonObject().put("body", body));
  }

  private HttpResponse<String> admin(String method, String path, JsonObject body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chat.app.httpPort() + path))
        .header("Authorization", "Bearer " + ADMIN_TOKEN).header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
