package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;

/**
 * A message to one customer, validated against the Cloud API's limits when it is constructed.
 * {@link #toJson()} is the exact body POSTed to {@code /{version}/{phone-number-id}/messages}: a phone
 * number goes in {@code to}, a business-scoped user id in {@code recipient} (never in {@code to}, where
 * Meta accepts it and never delivers), both with {@code "recipient_type": "individual"}.
 */
public sealed interface OutboundMessage
    permits TextMessage, ButtonsMessage, ListMessage, TemplateMessage, ReactionMessage, MediaMessage, FlowMessage,
    InteractiveMessage, LocationMessage, ContactsMessage, RawMessage, QuotedMessage,
    StoredMediaMessage {

  /**
   * Where it goes: the customer's phone number when known, else their BSUID
   * ({@link io.wabot.customer.CustomerIdentity#address()}).
   */
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
    JsonObject body = Envelope.of(to())
        .put("type", type())
        .put(type(), content());
    if (replyTo() != null) {
      body.put("context", new JsonObject().put("message_id", replyTo()));
    }
    return body;
  }

  /**
   * This message quoting the customer's message {@code wamid} ({@code context.message_id}): WhatsApp
   * shows it as a reply to that message. Works on every type.
   */
  default QuotedMessage inReplyTo(String wamid) {
    return new QuotedMessage(this instanceof QuotedMessage q ? q.message() : this, wamid);
  }

  /** A text message. */
  static TextMessage text(String to, String body) {
    return new TextMessage(to, body, false, null);
  }
}
