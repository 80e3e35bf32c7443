package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;

/**
 * A message to one customer, validated against the Cloud API's limits when it is constructed.
 * {@link #toJson()} is the exact body POSTed to {@code /{version}/{phone-number-id}/messages}.
 */
public sealed interface OutboundMessage
    permits TextMessage, ButtonsMessage, ListMessage, TemplateMessage, ReactionMessage, MediaMessage, FlowMessage {

  /** The customer's WhatsApp id. */
  String to();

  /** The Cloud API's {@code type} of this message. */
  String type();

  /** The message object, without the envelope (e.g. {@code {"body": "..."}} for text). */
  JsonObject content();

  /** The wamid this message replies to (shown quoted in the chat), or null. */
  default String replyTo() {
    return null;
  }

  /** The full request body. */
  default JsonObject toJson() {
    JsonObject body = new JsonObject()
        .put("messaging_product", "whatsapp")
        .put("recipient_type", "individual")
        .put("to", to())
        .put("type", type())
        .put(type(), content());
    if (replyTo() != null) {
      body.put("context", new JsonObject().put("message_id", replyTo()));
    }
    return body;
  }

  /** A text message. */
  static TextMessage text(String to, String body) {
    return new TextMessage(to, body, false, null);
  }
}
