package io.wabot.whatsapp.inbound;

import io.vertx.core.json.JsonObject;
import io.wabot.customer.CustomerIdentity;
import io.wabot.observability.Correlation;
import io.wabot.queue.NewJob;
import java.time.Instant;

/**
 * The inbound job formats. Conversation = the customer's conversation key
 * ({@link CustomerIdentity#key()}, resolved by the webhook from the alias map), so everything about one
 * customer is handled in arrival order, whichever of their ids a message carries.
 *
 * <ul>
 *   <li>A customer message: id = the message's wamid (a redelivered webhook stores nothing new).
 *       Payload: {@code {"message": <raw Cloud API message>, "customer": <the resolved identity>,
 *       "profileName", "phoneNumberId", "receivedAtMs", "correlation"}}. An echo of what a person sent from
 *       the WhatsApp Business app ({@code smb_message_echoes}) is stored the same way with {@code "echo": true},
 *       in the conversation of the customer it went to.</li>
 *   <li>A marketing preference ({@code "kind": "preference"}): Meta's {@code user_preferences}
 *       webhook, or error 131050 met by the sender. Stored as a job rather than told over the event
 *       bus, so an opt-out is never lost between the 200 and its recording. Payload:
 *       {@code {"kind", "customer", "category", "value": "stop"|"resume", "detail", "timestamp", "source"}}.</li>
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

  /**
   * A {@code user_preferences} report about a resolved customer; its id is derived from its content, so
   * a redelivery stores nothing new.
   */
  public static NewJob preference(UserPreference preference) {
    return preference(preference, null);
  }

  /** As {@link #preference(UserPreference)}, reported on the business number {@code phoneNumberId} (null: the default one). */
  public static NewJob preference(UserPreference preference, String phoneNumberId) {
    String id = "pref:" + preference.customer().key() + ":" + preference.category() + ":" + preference.value() + ":"
        + preference.timestamp().getEpochSecond();
    NewJob job = preferenceJob(id, preference, FROM_WEBHOOK);
    if (phoneNumberId != null) {
      job.payload().put("phoneNumberId", phoneNumberId);
    }
    return job;
  }

  /** The customer stopped marketing messages, as error 131050 on the job {@code causeJobId} showed. */
  public static NewJob marketingOptOut(String causeJobId, CustomerIdentity customer, String reason) {
    return preferenceJob(causeJobId + ":optout",
        new UserPreference(customer, "marketing_messages", "stop", reason, Instant.now()), FROM_API_ERROR);
  }

  private static NewJob preferenceJob(String id, UserPreference preference, String source) {
    CustomerIdentity customer = preference.customer();
    JsonObject data = new JsonObject().put("kind", KIND_PREFERENCE).put("customer", customer.toJson())
        .put("category", preference.category()).put("value", preference.value()).put("detail", preference.detail())
        .put("timestamp", preference.timestamp().getEpochSecond()).put("source", source);
    return NewJob.of(id, customer.key(), new Correlation(id, customer.masked(), ""), data);
  }

  /** The preference stored in a {@code preference} job of the conversation {@code conversationKey}. */
  public static UserPreference preference(JsonObject payload, String conversationKey) {
    CustomerIdentity customer = CustomerIdentity.fromJson(payload.getJsonObject("customer"));
    if (customer == null) { // stored before customer identities: the phone number was its conversation
      customer = CustomerIdentity.ofPhone(payload.getString("waId"));
    }
    return new UserPreference(customer.withKey(conversationKey), payload.getString("category"), payload.getString("value"),
        payload.getString("detail"), Instant.ofEpochSecond(payload.getLong("timestamp", 0L)));
  }

  /** A customer message, from {@code customer} as the alias map resolved them. */
  public static NewJob of(WebhookPayload.Received received, CustomerIdentity customer, long receivedAtMs) {
    InboundMessage message = received.message();
    Correlation correlation = CustomerIdentity.correlationOf(message.id(), customer);
    // Meta's redelivery carries the message's own timestamp again: the id is remembered by it, compactly.
    return NewJob.of(message.id(), customer.key(), correlation,
        received.toJobData().put("customer", customer.toJson()).put("receivedAtMs", receivedAtMs))
        .withIdTime(message.meta().timestamp());
  }

  /**
   * The message stored in an inbound job's payload, sent by the customer of {@code conversationKey};
   * null when the payload is not one.
   */
  public static InboundMessage message(JsonObject payload, String conversationKey) {
    if (!(payload.getValue("message") instanceof JsonObject raw)) {
      return null;
    }
    CustomerIdentity sender = CustomerIdentity.fromJson(payload.getJsonObject("customer"));
    if (sender == null) { // queued before customer identities: the message names its sender itself
      sender = WebhookParser.senderOf(raw);
    }
    CustomerIdentity customer = sender == null ? null : sender.withKey(conversationKey);
    if (payload.getBoolean("echo", false)) {
      return customer == null ? null : WebhookParser.parseEcho(raw, customer, payload.getString("phoneNumberId"));
    }
    return WebhookParser.parseMessage(raw, customer, payload.getString("profileName"), payload.getString("phoneNumberId"));
  }

  /** When the webhook received the message (the start of the end-to-end latency). */
  public static long receivedAtMs(JsonObject payload) {
    return payload.getLong("receivedAtMs", 0L);
  }
}
