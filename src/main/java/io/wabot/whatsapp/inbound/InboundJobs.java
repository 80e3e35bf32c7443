package io.wabot.whatsapp.inbound;

import io.vertx.core.json.JsonObject;
import io.wabot.observability.Correlation;
import io.wabot.observability.Mask;
import io.wabot.queue.NewJob;
import java.time.Instant;

/**
 * The inbound job formats. Conversation = the customer's WhatsApp id, so everything about one customer
 * is handled in arrival order.
 *
 * <ul>
 *   <li>A customer message: id = the message's wamid (a redelivered webhook stores nothing new).
 *       Payload: {@code {"message": <raw Cloud API message>, "profileName", "phoneNumberId",
 *       "receivedAtMs", "correlation"}}.</li>
 *   <li>A marketing preference ({@code "kind": "preference"}): Meta's {@code user_preferences}
 *       webhook, or error 131050 met by the sender. Stored as a job rather than told over the event
 *       bus, so an opt-out is never lost between the 200 and its recording. Payload:
 *       {@code {"kind", "waId", "category", "value": "stop"|"resume", "detail", "timestamp", "source"}}.</li>
 * </ul>
 */
public final class InboundJobs {

  public static final String KIND_PREFERENCE = "preference";
  /** {@code source} of a preference reported by Meta's {@code user_preferences} webhook. */
  public static final String FROM_WEBHOOK = "user_preferences";
  /** {@code source} of a preference learned from error 131050. */
  public static final String FROM_API_ERROR = "api_error";

  private InboundJobs() {
  }

  /** A {@code user_preferences} report; its id is derived from its content, so a redelivery stores nothing new. */
  public static NewJob preference(UserPreference preference) {
    String id = "pref:" + preference.waId() + ":" + preference.category() + ":" + preference.value() + ":"
        + preference.timestamp().getEpochSecond();
    return preferenceJob(id, preference, FROM_WEBHOOK);
  }

  /** The customer stopped marketing messages, as error 131050 on the job {@code causeJobId} showed. */
  public static NewJob marketingOptOut(String causeJobId, String waId, String reason) {
    return preferenceJob(causeJobId + ":optout",
        new UserPreference(waId, "marketing_messages", "stop", reason, Instant.now()), FROM_API_ERROR);
  }

  private static NewJob preferenceJob(String id, UserPreference preference, String source) {
    JsonObject data = new JsonObject().put("kind", KIND_PREFERENCE).put("waId", preference.waId())
        .put("category", preference.category()).put("value", preference.value()).put("detail", preference.detail())
        .put("timestamp", preference.timestamp().getEpochSecond()).put("source", source);
    return NewJob.of(id, preference.waId(), new Correlation(id, Mask.phone(preference.waId()), ""), data);
  }

  /** The preference stored in a {@code preference} job. */
  public static UserPreference preference(JsonObject payload) {
    return new UserPreference(payload.getString("waId"), payload.getString("category"), payload.getString("value"),
        payload.getString("detail"), Instant.ofEpochSecond(payload.getLong("timestamp", 0L)));
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
