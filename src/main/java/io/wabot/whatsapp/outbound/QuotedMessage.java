package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;

/**
 * Any message sent as a reply to one of the customer's messages: the request gains
 * {@code "context": {"message_id": replyTo}}. Made by {@link OutboundMessage#inReplyTo(String)}.
 */
public record QuotedMessage(OutboundMessage message, String replyTo) implements OutboundMessage {

  public QuotedMessage {
    if (message == null) {
      throw new InvalidMessageException("a reply needs the message to send");
    }
    if (message instanceof QuotedMessage) {
      throw new InvalidMessageException("a message quotes one message only");
    }
    if (message instanceof ReactionMessage) {
      // A reaction already names the message it belongs to; Meta refuses a context on it.
      throw new InvalidMessageException("a reaction cannot quote a message: it already names one (message_id)");
    }
    Limits.required(replyTo, "the quoted message id (context.message_id)");
  }

  @Override
  public String to() {
    return message.to();
  }

  @Override
  public String type() {
    return message.type();
  }

  @Override
  public JsonObject content() {
    return message.content();
  }

  @Override
  public JsonObject toJson() {
    return message.toJson().put("context", new JsonObject().put("message_id", replyTo));
  }
}
