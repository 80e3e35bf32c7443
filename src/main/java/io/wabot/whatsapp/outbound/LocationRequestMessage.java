package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;

/**
 * Asks the customer to share their location ({@code interactive.type = location_request_message}):
 * WhatsApp shows the body with a "Send location" button; the answer arrives as a location message.
 */
public record LocationRequestMessage(String to, String body) implements InteractiveMessage {

  public LocationRequestMessage {
    Limits.recipient(to);
    Interactive.frame(null, body, true, null);
  }

  @Override
  public JsonObject content() {
    return Interactive.of("location_request_message", null, body, null)
        .put("action", new JsonObject().put("name", "send_location"));
  }
}
