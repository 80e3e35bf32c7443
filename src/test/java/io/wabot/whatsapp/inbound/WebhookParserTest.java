package io.wabot.whatsapp.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WebhookParserTest {

  /** One change with the given message objects, in Meta's envelope. */
  static JsonObject webhook(String messagesJson) {
    return new JsonObject("""
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",
         "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
         "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],
         "messages":%s}}]}]}""".formatted(messagesJson));
  }

  static InboundMessage only(String messageJson) {
    WebhookPayload payload = WebhookParser.parse(webhook("[" + messageJson + "]"));
    assertThat(payload.messages()).hasSize(1);
    return payload.messages().get(0).message();
  }

  static String msg(String type, String content) {
    return "{\"from\":\"16505551234\",\"id\":\"wamid.X\",\"timestamp\":\"1749416383\",\"type\":\"" + type + "\"," + content + "}";
  }

  @Test
  @DisplayName("text, with the sender's profile name and the number it was sent to")
  void text() {
    InboundMessage m = only(msg("text", "\"text\":{\"body\":\"Does it come in another color?\"}"));
    assertThat(m).isEqualTo(new InboundMessage.Text(m.meta(), "Does it come in another color?"));
    assertThat(m.meta().profileName()).isEqualTo("Sheena Nelson");
    assertThat(m.meta().phoneNumberId()).isEqualTo("106540352242922");
    assertThat(m.meta().timestamp().getEpochSecond()).isEqualTo(1749416383L);
  }

  @Test
  @DisplayName("interactive button and list replies, with the message they answer")
  void interactiveReplies() {
    InboundMessage button = only(msg("interactive",
        "\"context\":{\"from\":\"15550783881\",\"id\":\"wamid.MENU\"},"
            + "\"interactive\":{\"type\":\"button_reply\",\"button_reply\":{\"id\":\"browse\",\"title\":\"Browse\"}}"));
    assertThat(button).isInstanceOf(InboundMessage.ButtonReply.class);
    assertThat(((InboundMessage.ButtonReply) button).buttonId()).isEqualTo("browse");
    assertThat(button.meta().contextId()).isEqualTo("wamid.MENU");

    InboundMessage row = only(msg("interactive",
        "\"interactive\":{\"type\":\"list_reply\",\"list_reply\":{\"id\":\"sku:HP-100\",\"title\":\"Headphones\",\"description\":\"In stock\"}}"));
    assertThat(row).isEqualTo(new InboundMessage.ListReply(row.meta(), "sku:HP-100", "Headphones", "In stock"));
  }

  @Test
  @DisplayName("a completed WhatsApp Flow (nfm_reply): its answers and its flow token; answers that are not JSON keep no token")
  void flowReply() {
    InboundMessage form = only(msg("interactive", "\"interactive\":{\"type\":\"nfm_reply\",\"nfm_reply\":{\"name\":\"flow\","
        + "\"body\":\"Sent\",\"response_json\":\"{\\\"flow_token\\\":\\\"wbf1.abcdefgh\\\",\\\"quantity\\\":2}\"}}"));
    assertThat(form).isInstanceOfSatisfying(InboundMessage.FlowReply.class, reply -> {
      assertThat(reply.flowToken()).isEqualTo("wbf1.abcdefgh");
      assertThat(reply.response()).isEqualTo(new JsonObject().put("quantity", 2));
      assertThat(reply.body()).isEqualTo("Sent");
      assertThat(reply.toString()).doesNotContain("quantity");
    });
    InboundMessage broken = only(msg("interactive",
        "\"interactive\":{\"type\":\"nfm_reply\",\"nfm_reply\":{\"response_json\":\"[1, 2\"}}"));
    assertThat(broken).isInstanceOfSatisfying(InboundMessage.FlowReply.class, reply -> {
      assertThat(reply.flowToken()).isNull();
      assertThat(reply.response()).isEmpty();
    });
  }

  @Test
  @DisplayName("template quick replies, media, voice notes, locations, contacts and reactions")
  void otherTypes() {
    assertThat(only(msg("button", "\"button\":{\"payload\":\"STOP\",\"text\":\"Stop promotions\"}")))
        .isInstanceOfSatisfying(InboundMessage.QuickReply.class, q -> assertThat(q.payload()).isEqualTo("STOP"));
    assertThat(only(msg("image", "\"image\":{\"id\":\"MEDIA1\",\"mime_type\":\"image/jpeg\",\"caption\":\"this one\"}")))
        .isInstanceOfSatisfying(InboundMessage.Media.class, m -> {
          assertThat(m.kind()).isEqualTo("image");
          assertThat(m.caption()).isEqualTo("this one");
        });
    assertThat(only(msg("audio", "\"audio\":{\"id\":\"MEDIA2\",\"mime_type\":\"audio/ogg; codecs=opus\",\"voice\":true}")))
        .isInstanceOfSatisfying(InboundMessage.Media.class, m -> assertThat(m.voice()).isTrue());
    for (String kind : List.of("video", "document", "sticker")) {
      assertThat(only(msg(kind, "\"" + kind + "\":{\"id\":\"M\"}"))).isInstanceOf(InboundMessage.Media.class);
    }
    assertThat(only(msg("location", "\"location\":{\"latitude\":19.43,\"longitude\":-99.13,\"name\":\"Zócalo\"}")))
        .isInstanceOfSatisfying(InboundMessage.Location.class, l -> assertThat(l.latitude()).isEqualTo(19.43));
    assertThat(only(msg("contacts", "\"contacts\":[{\"name\":{\"formatted_name\":\"Ana\"}}]")))
        .isInstanceOfSatisfying(InboundMessage.Contacts.class, c -> assertThat(c.cards()).hasSize(1));
    assertThat(only(msg("reaction", "\"reaction\":{\"message_id\":\"wamid.OUT\",\"emoji\":\"👍\"}")))
        .isInstanceOfSatisfying(InboundMessage.Reaction.class, r -> assertThat(r.emoji()).isEqualTo("👍"));
  }

  @Test
  @DisplayName("unsupported, an order without products, system and unknown future types arrive as Unsupported with the raw"
      + " message and Meta's error details")
  void unsupported() {
    for (String type : List.of("unsupported", "order", "system", "poll_v9")) {
      InboundMessage m = only(msg(type, "\"errors\":[{\"code\":131051,\"title\":\"Message type unknown\","
          + "\"message\":\"Message type unknown\",\"error_data\":{\"details\":\"Message type is currently not supported.\"}}]"));
      assertThat(m).isInstanceOfSatisfying(InboundMessage.Unsupported.class, u -> {
        assertThat(u.type()).isEqualTo(type);
        assertThat(u.raw().getString("id")).isEqualTo("wamid.X");
        assertThat(u.errors()).containsExactly(new WebhookError(131051, "Message type unknown", "Message type unknown",
            "Message type is currently not supported."));
      });
    }
  }

  @Test
  @DisplayName("a malformed message is skipped and counted; its neighbours are kept")
  void malformedSkipped() {
    WebhookPayload payload = WebhookParser.parse(webhook("[" + msg("text", "\"text\":{\"body\":\"ok\"}")
        + ",{\"type\":\"text\",\"text\":{\"body\":\"no id or sender\"}}, 42]"));
    assertThat(payload.messages()).hasSize(1);
    assertThat(payload.skipped()).extracting(WebhookPayload.Skipped::reason).containsExactly("no_id");
  }

  @Test
  @DisplayName("statuses with their errors, and marketing preferences, are parsed")
  void statusesAndPreferences() {
    JsonObject body = new JsonObject("""
        {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[
          {"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"},
           "statuses":[{"id":"wamid.A","status":"delivered","timestamp":"1749416390","recipient_id":"16505551234"},
                       {"id":"wamid.B","status":"failed","timestamp":"1749416391","recipient_id":"16505551234",
                        "errors":[{"code":131047,"title":"Re-engagement message","error_data":{"details":"24 h passed"}}]},
                       {"id":"wamid.C","status":"deleted","timestamp":"1749416392"}]}},
          {"field":"user_preferences","value":{"messaging_product":"whatsapp","user_preferences":[
           {"wa_id":"16505551234","detail":"User requested to stop marketing messages","category":"marketing_messages",
            "value":"stop","timestamp":1749416393}]}}]}]}""");
    WebhookPayload payload = WebhookParser.parse(body);
    assertThat(payload.statuses()).extracting(StatusUpdate::status)
        .containsExactly(StatusUpdate.Status.DELIVERED, StatusUpdate.Status.FAILED);
    assertThat(payload.statuses().get(1).errors()).singleElement()
        .satisfies(e -> assertThat(e.code()).isEqualTo(131047)).satisfies(e -> assertThat(e.details()).isEqualTo("24 h passed"));
    assertThat(payload.preferences()).singleElement().satisfies(p -> assertThat(p.stopped()).isTrue());
  }

  @Test
  @DisplayName("a body that is not a WhatsApp Business Account webhook is refused")
  void notWhatsApp() {
    assertThatThrownBy(() -> WebhookParser.parse(new JsonObject().put("object", "instagram")))
        .isInstanceOf(InvalidPayloadException.class);
    assertThatThrownBy(() -> WebhookParser.parse(new JsonObject().put("object", "whatsapp_business_account").put("entry", "x")))
        .isInstanceOf(InvalidPayloadException.class);
  }
}
