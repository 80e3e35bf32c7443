package io.wabot.whatsapp.inbound;

import static io.wabot.whatsapp.inbound.WebhookParserTest.msg;
import static io.wabot.whatsapp.inbound.WebhookParserTest.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Meta's documented payloads for orders, ad referrals, Business app echoes and account fields, parsed. */
class WebhookFieldsParserTest {

  static WebhookPayload field(String field, String valueJson) {
    return WebhookParser.parse(new JsonObject("""
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","time":1739321024,
         "changes":[{"field":"%s","value":%s}]}]}""".formatted(field, valueJson)));
  }

  @Test
  @DisplayName("an order carries its catalog, note and lines (product retailer id, quantity, unit price, currency)")
  void order() {
    InboundMessage m = only(msg("order", """
        "order":{"catalog_id":"194836987003835","text":"for Saturday","product_items":[
          {"product_retailer_id":"di9ozbzfi4","quantity":2,"item_price":30,"currency":"USD"},
          {"product_retailer_id":"nqryix03ez","quantity":"1","item_price":"25.5","currency":"USD"},
          {"quantity":1}]}"""));
    assertThat(m).isInstanceOfSatisfying(InboundMessage.Order.class, order -> {
      assertThat(order.catalogId()).isEqualTo("194836987003835");
      assertThat(order.text()).isEqualTo("for Saturday");
      assertThat(order.items()).as("a line without a product is left out").containsExactly(
          new InboundMessage.OrderItem("di9ozbzfi4", 2, 30, "USD"), new InboundMessage.OrderItem("nqryix03ez", 1, 25.5, "USD"));
    });
  }

  @Test
  @DisplayName("a message from a click-to-WhatsApp ad carries the ad: source, headline and ctwa_clid")
  void referral() {
    InboundMessage m = only(msg("text", """
        "text":{"body":"Is the sale still on?"},"referral":{"source_url":"https://fb.me/3cr4Wqqkv","source_id":"120211",
        "source_type":"ad","headline":"Spring sale","body":"Tap to chat","media_type":"image",
        "image_url":"https://scontent.xx.fbcdn.net/ad.jpg","ctwa_clid":"ARAkLkA8rmlFeiCk"}"""));
    assertThat(m.meta().referral()).isEqualTo(new Referral("ad", "120211", "https://fb.me/3cr4Wqqkv", "Spring sale",
        "Tap to chat", "image", "ARAkLkA8rmlFeiCk"));
    assertThat(only(msg("text", "\"text\":{\"body\":\"hi\"},\"referral\":{}")).meta().referral()).as("an empty one").isNull();
  }

  @Test
  @DisplayName("an echo is about the customer it went to, and stored marked as an echo")
  void echo() {
    WebhookPayload payload = field("smb_message_echoes", """
        {"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
         "message_echoes":[{"from":"15550783881","to":"16505551234","id":"wamid.ECHO","timestamp":"1739321024","type":"text",
           "text":{"body":"Maria here"}},{"from":"15550783881","id":"wamid.NOBODY","type":"text","text":{"body":"?"}}]}""");
    assertThat(payload.messages()).singleElement().satisfies(received -> {
      assertThat(received.message()).isInstanceOfSatisfying(InboundMessage.BusinessEcho.class, echo -> {
        assertThat(echo.customer().phone()).isEqualTo("16505551234");
        assertThat(echo.body()).isEqualTo("Maria here");
      });
      assertThat(received.toJobData().getBoolean("echo")).isTrue();
    });
    assertThat(payload.skipped()).singleElement().satisfies(s -> assertThat(s.kind() + ":" + s.reason()).isEqualTo("echo:no_identity"));
  }

  @Test
  @DisplayName("template status and quality changes raise or clear a condition per template and language")
  void templates() {
    AccountEvent paused = field("message_template_status_update", """
        {"event":"PAUSED","message_template_id":594425479261596,"message_template_name":"back_in_touch",
         "message_template_language":"en_US","reason":"NONE","message_template_category":"UTILITY"}""").accountEvents().get(0);
    assertThat(paused.alert()).isEqualTo(AccountEvent.TEMPLATE_UNUSABLE);
    assertThat(paused.raised()).isTrue();
    assertThat(paused.subject()).isEqualTo("back_in_touch|en_US");
    assertThat(paused.details().getString("template_id")).isEqualTo("594425479261596");
    for (String event : List.of("DISABLED", "REJECTED")) {
      assertThat(field("message_template_status_update", "{\"event\":\"" + event + "\",\"message_template_name\":\"t\"}")
          .accountEvents().get(0).raised()).as(event).isTrue();
    }
    assertThat(field("message_template_status_update", "{\"event\":\"APPROVED\",\"message_template_name\":\"t\"}")
        .accountEvents().get(0)).satisfies(e -> assertThat(e.changesCondition() && !e.raised()).isTrue());
    assertThat(field("message_template_status_update", "{\"event\":\"PENDING_DELETION\",\"message_template_name\":\"t\"}")
        .accountEvents().get(0).changesCondition()).as("only informs").isFalse();

    AccountEvent red = field("message_template_quality_update", """
        {"previous_quality_score":"GREEN","new_quality_score":"RED","message_template_id":1,
         "message_template_name":"back_in_touch","message_template_language":"en_US"}""").accountEvents().get(0);
    assertThat(red.alert()).isEqualTo(AccountEvent.TEMPLATE_QUALITY_LOW);
    assertThat(red.raised()).isTrue();
  }

  @Test
  @DisplayName("phone number quality and account updates: flagged, downgraded, banned, restricted, and their recoveries")
  void numberAndAccount() {
    assertThat(field("phone_number_quality_update", "{\"display_phone_number\":\"15550783881\",\"event\":\"DOWNGRADE\","
        + "\"old_limit\":\"TIER_10K\",\"current_limit\":\"TIER_1K\"}").accountEvents().get(0))
        .satisfies(e -> assertThat(e.alert() + " " + e.subject() + " " + e.raised()).isEqualTo("phone_quality_low tier true"));
    assertThat(field("phone_number_quality_update", "{\"event\":\"UNFLAGGED\"}").accountEvents().get(0))
        .satisfies(e -> assertThat(e.subject() + " " + e.raised()).isEqualTo("quality false"));
    assertThat(field("account_update", """
        {"phone_number":"15550783881","event":"ACCOUNT_RESTRICTION","restriction_info":[
         {"restriction_type":"RESTRICTED_BIZ_INITIATED_MESSAGING","expiration":"2026-12-19T13:59:20+0000"}]}""")
        .accountEvents().get(0)).satisfies(e -> {
          assertThat(e.alert() + " " + e.subject() + " " + e.raised()).isEqualTo("account_restricted restriction true");
          assertThat(e.details().getString("restrictions")).contains("RESTRICTED_BIZ_INITIATED_MESSAGING");
        });
    assertThat(field("account_update", "{\"event\":\"ACCOUNT_VIOLATION\",\"violation_info\":{\"violation_type\":\"SCAM\"}}")
        .accountEvents().get(0).changesCondition()).as("a violation informs").isFalse();
  }

  @Test
  @DisplayName("an object the parser fails on in a way no check foresaw is skipped as parse_failed; the others beside it"
      + " are parsed, and so are the other changes of the POST")
  void unforeseenFailuresSkipped() {
    // Stand-ins for a shape no check foresees: objects that throw when a field is read.
    JsonObject status = failingOn("status", Webhooks.status("wamid.OUT1", "16505551234", "sent"));
    JsonObject preference = failingOn("category", new JsonObject().put("wa_id", "16505551234"));
    JsonObject body = Webhooks.envelope(
        Webhooks.change(TestApps.PHONE_NUMBER_ID, new JsonArray().add(Webhooks.textMessage("wamid.IN1", "16505551234", "hi")),
            new JsonArray().add(status)),
        Webhooks.fieldChange("user_preferences", new JsonObject().put("user_preferences", new JsonArray().add(preference))));

    WebhookPayload payload = WebhookParser.parse(body);

    assertThat(payload.messages()).extracting(m -> m.message().id()).containsExactly("wamid.IN1");
    assertThat(payload.skipped()).extracting(s -> s.kind() + ":" + s.reason() + ":" + s.id())
        .containsExactly("status:parse_failed:wamid.OUT1", "user_preferences:parse_failed:null");
    assertThat(payload.messageUnread()).as("a status skipped: the POST is answered 200").isFalse();
    assertThat(WebhookParser.parseError(new JsonObject().put("code", "99999999999")).code())
        .as("a code too long for a number").isZero();

    JsonObject message = failingOn("type", Webhooks.textMessage("wamid.IN2", "16505551234", "hi"));
    WebhookPayload unread = WebhookParser.parse(Webhooks.envelope(Webhooks.change(TestApps.PHONE_NUMBER_ID,
        new JsonArray().add(message).add(Webhooks.textMessage("wamid.IN3", "16505551234", "hello")), null)));
    assertThat(unread.messages()).extracting(m -> m.message().id()).containsExactly("wamid.IN3");
    assertThat(unread.messageUnread()).as("a message skipped: answered 500, for Meta to deliver it again").isTrue();
  }

  private static JsonObject failingOn(String field, JsonObject fields) {
    JsonObject failing = new JsonObject() {
      @Override
      public Object getValue(String key) {
        if (field.equals(key)) {
          throw new IllegalStateException("unforeseen " + key);
        }
        return super.getValue(key);
      }
    };
    return failing.mergeIn(fields);
  }

  @Test
  @DisplayName("fields are listed for counting, unknown ones as other; a value without what Meta always sends is skipped")
  void fieldsAndShapes() {
    WebhookPayload unknown = field("business_capability_update", "{\"max_daily_conversation_per_phone\":1000}");
    assertThat(unknown.fields()).containsExactly("other");
    assertThat(unknown.skipped()).isEmpty();
    WebhookPayload noName = field("message_template_status_update", "{\"event\":\"PAUSED\"}");
    assertThat(noName.fields()).containsExactly("message_template_status_update");
    assertThat(noName.accountEvents()).isEmpty();
    assertThat(noName.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).isEqualTo("bad_shape"));
    assertThat(field("account_update", "[1,2]").skipped()).singleElement()
        .satisfies(s -> assertThat(s.kind() + ":" + s.reason()).isEqualTo("change:bad_shape"));
  }

  @Test
  @DisplayName("a status keeps Meta's pricing: category, billable, model and the conversation it belongs to")
  void pricing() {
    WebhookPayload payload = WebhookParser.parse(new JsonObject("""
        {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
          "metadata":{"phone_number_id":"106540352242922"},"statuses":[{"id":"wamid.A","status":"sent","timestamp":"1739321024",
          "recipient_id":"16505551234","conversation":{"id":"conv-9","origin":{"type":"utility"}},
          "pricing":{"billable":true,"pricing_model":"PMP","category":"utility","type":"regular"}},
          {"id":"wamid.B","status":"sent","timestamp":"1739321024","recipient_id":"16505551234",
          "pricing":{"billable":false,"pricing_model":"PMP","category":"brand_new_category"}}]}}]}]}"""));
    assertThat(payload.statuses().get(0).pricing())
        .isEqualTo(new StatusUpdate.Pricing("utility", true, "PMP", "regular", "conv-9"));
    assertThat(payload.statuses().get(1).pricing().category()).as("a bounded metric label").isEqualTo("other");
  }
}
