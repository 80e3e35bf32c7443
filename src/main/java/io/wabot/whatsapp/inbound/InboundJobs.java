package io.wabot.whatsapp.inbound;

import io.vertx.core.json.JsonObject;
import io.wabot.observability.Correlation;
import io.wabot.queue.NewJob;

/**
 * The inbound job format: one job per customer message, id = the message's wamid (so a redelivered
 * webhook stores nothing new), conversation = the customer's WhatsApp id.
 *
 * <p>Payload: {@code {"message": <raw Cloud API message>, "profileName", "phoneNumberId",
 * "receivedAtMs", "correlation"}}.
 */
public final class InboundJobs {

  private InboundJobs() {
  }

  public static NewJob of(WebhookPayload.Received received, long receivedAtMs) {
    InboundMessage message = received.message();
    Correlation correlation = Correlation.ofInbound(message.id(), message.from());
    return NewJob.of(message.id(), message.from(), correlation, received.toJobData().put("receivedAtMs", receivedAtMs));
  }

  /** The message stored in an inbound job's payload, or null when the payload is not one. */
  public static InboundMessage message(JsonObject payload) {
    if (!(payload.getValue("message") instanceof JsonObject raw)) {
      return null;
    }
    return WebhookParser.parseMessage(raw, payload.getString("profileName"), payload.getString("phoneNumberId"));
  }

  /** When the webhook received the message (the start of the end-to-end latency). */
  public static long receivedAtMs(JsonObject payload) {
    return payload.getLong("receivedAtMs", 0L);
  }
}
