package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;

/**
 * Marks a customer's message as read (blue ticks) and, optionally, shows "typing…" until the next
 * reply or about 25 seconds. Sent to the same endpoint as messages.
 */
public record MarkAsRead(String messageId, boolean typingIndicator) {

  public MarkAsRead {
    Limits.required(messageId, "message id to mark as read");
  }

  public JsonObject toJson() {
    JsonObject body = new JsonObject()
        .put("messaging_product", "whatsapp")
        .put("status", "read")
        .put("message_id", messageId);
    if (typingIndicator) {
      body.put("typing_indicator", new JsonObject().put("type", "text"));
    }
    return body;
  }
}
