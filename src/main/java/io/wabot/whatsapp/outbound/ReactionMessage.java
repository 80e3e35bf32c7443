package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;

/** An emoji reaction to one of the customer's messages; an empty emoji removes the reaction. */
public record ReactionMessage(String to, String messageId, String emoji) implements OutboundMessage {

  public ReactionMessage {
    Limits.recipient(to);
    Limits.required(messageId, "reaction message id");
    emoji = emoji == null ? "" : emoji;
  }

  @Override
  public String type() {
    return "reaction";
  }

  @Override
  public JsonObject content() {
    return new JsonObject().put("message_id", messageId).put("emoji", emoji);
  }
}
