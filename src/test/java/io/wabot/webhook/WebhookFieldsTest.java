package io.wabot.webhook;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.config.AppConfig;
import io.wabot.observability.alerts.AlertService;
import io.wabot.testing.CustomerKeys;
import io.wabot.testing.Http;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.testing.TeamWebhook;
import io.wabot.testing.Webhooks;
import io.wabot.whatsapp.inbound.AccountEvent;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The webhook fields beyond customer messages, each from a signed POST to what an operator or the team
 * observes: alerts fired and resolved, a hand-off started by a reply from the Business app, the ad a
 * customer came from in the state and the hand-off event, a cart handed to the team, pricing counted,
 * and unexpected shapes counted and answered 200.
 */
class WebhookFieldsTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String CUSTOMER = "16505551234";
  static final String WINDOW_TEMPLATE = "back_in_touch";
  static final String ADMIN_TOKEN = "admin-token-for-tests-0001";

  @RegisterExtension
  final TeamWebhook team = new TeamWebhook();
  Application app;
  String prefix;

  @BeforeEach
  void start() throws Exception {
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    env.put("ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("WINDOW_TEMPLATE_NAME", WINDOW_TEMPLATE);
    team.addTo(env);
    AppConfig config = TestApps.config(env, new JsonObject()
        .put("alerts", new JsonObject().put("checkInterval", "100ms"))
        .put("queue", new JsonObject().put("pollInterval", "200ms")));
    prefix = config.queue().keyPrefix();
    app = TestApps.start(config);
  }

  @AfterEach
  void stop() throws Exception {
    TestApps.stop(app);
  }

  private void post(JsonObject body) throws Exception {
    assertThat(Webhooks.postSigned(app.httpPort(), body).statusCode()).isEqualTo(200);
  }

  private String say(String text) throws Exception {
    String wamid = Webhooks.newWamid();
    post(Webhooks.text(wamid, CUSTOMER, text));
    return wamid;
  }

  private String state() {
    String key = CustomerKeys.keyOf(REDIS.server(), prefix, CUSTOMER);
    return key == null ? "" : String.valueOf(REDIS.server().command("GET", prefix + "state:" + key));
  }

  private boolean outboundJob(String id) {
    return "1".equals(REDIS.server().command("EXISTS", prefix + "outbound:job:" + id).replace(":", ""));
  }

  private String metrics() throws Exception {
    return Webhooks.get(app.httpPort(), "/metrics").body();
  }

  private static ILoggingEvent awaitAlert(LogCapture alerts, String event, String alert) {
    return alerts.awaitMatching(e -> event.equals(LogCapture.value(e, "event")) && alert.equals(LogCapture.value(e, "alert")));
  }

  @Test
  @DisplayName("the window template paused raises template_unusable, approved again resolves it; another template's pause does not")
  void windowTemplatePaused() throws Exception {
    try (LogCapture alerts = LogCapture.of(AlertService.class); LogCapture updates = LogCapture.of(AccountEvents.class)) {
      post(Webhooks.envelope(Webhooks.templateStatus("spring_promo", "PAUSED", "NONE")));
      updates.awaitMatching(e -> "account.update".equals(LogCapture.value(e, "event"))
          && "false".equals(String.valueOf(LogCapture.value(e, "used_by_bot"))));
      post(Webhooks.envelope(Webhooks.templateStatus(WINDOW_TEMPLATE, "PAUSED", "NONE")));

      ILoggingEvent fired = awaitAlert(alerts, "alert.fired", AccountEvent.TEMPLATE_UNUSABLE);
      assertThat(fired.getFormattedMessage()).contains(WINDOW_TEMPLATE, "en_US", "PAUSED").doesNotContain("spring_promo");

      post(Webhooks.envelope(Webhooks.templateStatus(WINDOW_TEMPLATE, "APPROVED", "NONE")));
      awaitAlert(alerts, "alert.resolved", AccountEvent.TEMPLATE_UNUSABLE);
      // other conditions of the test JVM (its memory) may alert too: only template_unusable is counted
      assertThat(alerts.named("alert.fired").stream()
          .filter(e -> AccountEvent.TEMPLATE_UNUSABLE.equals(LogCapture.value(e, "alert"))).toList())
          .as("one alert for the pause, none for the other template").hasSize(1);
    }
  }

  @Test
  @DisplayName("a flagged phone number and a banned account raise alerts that clear when Meta says so")
  void phoneQualityAndBan() throws Exception {
    try (LogCapture alerts = LogCapture.of(AlertService.class)) {
      post(Webhooks.envelope(Webhooks.phoneQuality("FLAGGED", "TIER_1K")));
      awaitAlert(alerts, "alert.fired", AccountEvent.PHONE_QUALITY_LOW);
      post(Webhooks.envelope(Webhooks.fieldChange("account_update", new JsonObject().put("phone_number", "15550783881")
          .put("event", "DISABLED_UPDATE").put("ban_info", new JsonObject().put("waba_ban_state", "DISABLE")
              .put("waba_ban_date", "2026-12-01")))));
      assertThat(awaitAlert(alerts, "alert.fired", AccountEvent.ACCOUNT_RESTRICTED).getFormattedMessage()).contains("banned");

      post(Webhooks.envelope(Webhooks.phoneQuality("UNFLAGGED", "TIER_1K")));
      awaitAlert(alerts, "alert.resolved", AccountEvent.PHONE_QUALITY_LOW);
      post(Webhooks.envelope(Webhooks.fieldChange("account_update", new JsonObject().put("event", "DISABLED_UPDATE")
          .put("ban_info", new JsonObject().put("waba_ban_state", "REINSTATE")))));
      awaitAlert(alerts, "alert.resolved", AccountEvent.ACCOUNT_RESTRICTED);
    }
  }

  @Test
  @DisplayName("a reply from the WhatsApp Business app hands the conversation over: the bot stays quiet")
  void echoHandsOff() throws Exception {
    String hello = say("hi");
    poll("the menu queued").until(() -> outboundJob(hello + ":r0"));
    post(Webhooks.echo(Webhooks.newWamid(), CUSTOMER, "Hi! Maria from the shop here, how can I help?"));
    poll("the conversation handed to the person in the app").until(() -> state().contains("\"reason\":\"business_app\""));

    String question = say("do you have it in blue?");
    // The read receipt is queued in the same commit as any reply: once it is there, no reply can follow.
    poll("the read receipt queued").until(() -> outboundJob(question + ":read"));
    assertThat(outboundJob(question + ":r0")).as("the bot stays quiet").isFalse();
  }

  @Test
  @DisplayName("the ad a customer came from is kept in the state and given to the team with the hand-off")
  void referralKept() throws Exception {
    String first = Webhooks.newWamid();
    post(Webhooks.fromAd(first, CUSTOMER, "Hi, is the sale still on?", "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a"));
    poll("the ad in the state").until(() -> state().contains("ARAkLkA8rmlFeiCktEJQ"));
    assertThat(state()).contains("\"headline\":\"Spring sale: 20% off\"", "\"sourceType\":\"ad\"");

    say("I want to talk to a person");
    JsonObject event = team.events().await(e -> "handoff.requested".equals(e.getString("event")));
    assertThat(event.getJsonObject("referral").getString("ctwaClid")).startsWith("ARAkLkA8rmlFeiCktEJQ");
    assertThat(event.getJsonObject("referral").getString("sourceId")).isEqualTo("120211111111111111");
  }

  @Test
  @DisplayName("a cart from the catalog is handed to the sales team with its lines")
  void orderToTeam() throws Exception {
    Map<String, Integer> cart = new LinkedHashMap<>();
    cart.put("sku-blue-mug", 2);
    cart.put("sku-teapot", 1);
    post(Webhooks.order(Webhooks.newWamid(), CUSTOMER, cart));
    JsonObject event = team.events().await(e -> "handoff.requested".equals(e.getString("event")));
    assertThat(event.getString("reason")).isEqualTo("order");
    JsonObject order = event.getJsonObject("context").getJsonObject("order");
    assertThat(order.getString("catalogId")).isEqualTo("1234567890");
    assertThat(order.getJsonArray("items")).hasSize(2);
    assertThat(order.getJsonArray("items").getJsonObject(0).getString("productRetailerId")).isEqualTo("sku-blue-mug");
    assertThat(order.getJsonArray("items").getJsonObject(0).getInteger("quantity")).isEqualTo(2);
    poll("the conversation with the team").until(() -> state().contains("\"reason\":\"order\""));
  }

  @Test
  @DisplayName("pricing is counted once per message, kept with its status and summed per conversation in /admin/pricing")
  void pricing() throws Exception {
    String wamid = Webhooks.newWamid();
    for (String status : new String[] {"sent", "delivered", "read"}) {
      JsonObject priced = Webhooks.pricedStatus(wamid, CUSTOMER, status, "utility", true, "conv-1");
      post(Webhooks.envelope(Webhooks.change(TestApps.PHONE_NUMBER_ID, new JsonArray(), new JsonArray().add(priced))));
    }
    String other = Webhooks.newWamid();
    post(Webhooks.envelope(Webhooks.change(TestApps.PHONE_NUMBER_ID, new JsonArray(), new JsonArray()
        .add(Webhooks.pricedStatus(other, CUSTOMER, "sent", "utility", true, "conv-1"))
        .add(Webhooks.pricedStatus(Webhooks.newWamid(), CUSTOMER, "sent", "service", false, "conv-2")))));

    assertThat(metrics()).contains("wabot_messages_priced_total{category=\"utility\",number=\"" + TestApps.NUMBER_LABEL + "\"} 2.0")
        .contains("wabot_messages_priced_total{category=\"service\",number=\"" + TestApps.NUMBER_LABEL + "\"} 1.0");
    HttpResponse<String> status = Http.call(app.httpPort(), "GET", "/admin/messages/" + wamid, null,
        "Authorization", "Bearer " + ADMIN_TOKEN);
    assertThat(new JsonObject(status.body()).getJsonObject("pricing"))
        .isEqualTo(new JsonObject().put("category", "utility").put("billable", true).put("pricingModel", "PMP"));
    JsonObject pricing = new JsonObject(Http.call(app.httpPort(), "GET", "/admin/pricing", null,
        "Authorization", "Bearer " + ADMIN_TOKEN).body()).getJsonObject("categories");
    assertThat(pricing.getJsonObject("utility")).isEqualTo(new JsonObject().put("messages", 2L).put("billable", 2L)
        .put("conversations", 1L).put("billablePerConversation", 2.0));
    assertThat(pricing.getJsonObject("service").getLong("billable")).isZero();
  }

  @Test
  @DisplayName("an unsupported message is logged with Meta's error details, and the customer is told the bot cannot read it")
  void unsupportedWithErrors() throws Exception {
    String wamid = Webhooks.newWamid();
    JsonObject message = new JsonObject().put("from", CUSTOMER).put("id", wamid)
        .put("timestamp", Long.toString(System.currentTimeMillis() / 1000)).put("type", "unsupported")
        .put("errors", new JsonArray().add(new JsonObject().put("code", 131051).put("title", "Message type unknown")
            .put("message", "Message type unknown")
            .put("error_data", new JsonObject().put("details", "Message type is currently not supported."))));
    try (LogCapture webhook = LogCapture.of(WebhookRoutes.class)) {
      post(Webhooks.envelope(Webhooks.change(TestApps.PHONE_NUMBER_ID, new JsonArray().add(message), null)));
      ILoggingEvent queued = webhook.await("inbound.queued");
      assertThat(LogCapture.value(queued, "error_code")).isEqualTo(131051);
      assertThat(LogCapture.value(queued, "error_details")).isEqualTo("Message type is currently not supported.");
    }
    poll("the customer answered").until(() -> outboundJob(wamid + ":r0"));
  }

  @Test
  @DisplayName("unknown fields and unexpected shapes are counted and answered 200, beside the messages they came with")
  void badShapesCounted() throws Exception {
    String wamid = Webhooks.newWamid();
    JsonObject body = Webhooks.envelope(
        Webhooks.fieldChange("business_capability_update", new JsonObject().put("max_daily_conversation_per_phone", 1000)),
        Webhooks.fieldChange("message_template_status_update", new JsonObject().put("event", "PAUSED")),
        Webhooks.fieldChange("phone_number_quality_update", new JsonObject().put("event", new JsonArray())),
        new JsonObject().put("field", "account_update").put("value", "not an object"),
        Webhooks.change(TestApps.PHONE_NUMBER_ID, new JsonArray().add(Webhooks.textMessage(wamid, CUSTOMER, "hi")), null));
    post(body);
    poll("the message beside them answered").until(() -> outboundJob(wamid + ":r0"));
    assertThat(metrics())
        .contains("wabot_webhook_fields_total{field=\"other\",number=\"" + TestApps.NUMBER_LABEL + "\"} 1.0")
        .contains("wabot_webhook_skipped_total{kind=\"message_template_status_update\",number=\"" + TestApps.NUMBER_LABEL + "\",reason=\"bad_shape\"} 1.0")
        .contains("wabot_webhook_skipped_total{kind=\"phone_number_quality_update\",number=\"" + TestApps.NUMBER_LABEL + "\",reason=\"bad_shape\"} 1.0")
        .contains("wabot_webhook_skipped_total{kind=\"change\",number=\"" + TestApps.NUMBER_LABEL + "\",reason=\"bad_shape\"} 1.0");
  }
}
