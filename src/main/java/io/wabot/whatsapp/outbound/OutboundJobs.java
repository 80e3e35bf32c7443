package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;
import io.wabot.customer.CustomerIdentity;
import io.wabot.observability.Correlation;
import io.wabot.queue.NewJob;

/**
 * The outbound job format, shared by whoever produces replies and the sender that sends them.
 *
 * <p>Payload: {@code {"kind": "message"|"read", "body": <the Cloud API request body>, "to" (the address:
 * phone number or BSUID), "customer" (the conversation key), "locale", "receivedAtMs", "correlation"}}.
 * The conversation of a message job is the customer's conversation key, so replies to one customer go
 * out one at a time, in order, even when their address changes from BSUID to phone number. Read
 * receipts use a conversation of their own ({@code read:<key>}) so they never hold a reply back;
 * messages to the team go in {@code team:<number>}.
 *
 * <p>Job ids are derived from the inbound job that caused them ({@code <inbound id>:r0}, {@code :r1},
 * ..., {@code :read}), so a flow that runs again after a crash stores nothing twice.
 */
public final class OutboundJobs {

  public static final String KIND_MESSAGE = "message";
  public static final String KIND_READ = "read";
  static final String AUDIENCE_TEAM = "team";

  private OutboundJobs() {
  }

  /**
   * @param customerKey  the customer's conversation key ({@link CustomerIdentity#key()}): replies to one
   *                     customer go out in order
   * @param locale       the customer's locale, for a template fallback when the 24 h window has closed
   * @param receivedAtMs when the inbound message that caused this reply arrived (0 if none), for latency
   */
  public static NewJob message(String jobId, OutboundMessage message, String customerKey, Correlation correlation,
      String locale, long receivedAtMs) {
    JsonObject data = new JsonObject().put("kind", KIND_MESSAGE).put("body", message.toJson()).put("to", message.to())
        .put("customer", customerKey).put("locale", locale).put("receivedAtMs", receivedAtMs);
    return NewJob.of(jobId, customerKey, correlation, data);
  }

  /**
   * A message to the business's own team (the sales agent's number), not to a customer: the sender
   * never replaces it with the customers' window template when the agent's 24 h window has closed.
   */
  public static NewJob teamMessage(String jobId, OutboundMessage message, Correlation correlation, String locale) {
    NewJob job = message(jobId, message, "team:" + message.to(), correlation, locale, 0);
    return new NewJob(job.id(), job.conversationId(), job.payload().put("audience", AUDIENCE_TEAM));
  }

  public static boolean isForTeam(JsonObject payload) {
    return AUDIENCE_TEAM.equals(payload.getString("audience"));
  }

  public static NewJob markAsRead(String jobId, String customerKey, MarkAsRead receipt, Correlation correlation) {
    JsonObject data = new JsonObject().put("kind", KIND_READ).put("body", receipt.toJson()).put("customer", customerKey);
    return NewJob.of(jobId, "read:" + customerKey, correlation, data);
  }

  /**
   * The customer a job is for: its conversation key, and its address as the phone number or BSUID it
   * was sent to. Jobs stored before customer identities had the phone number as conversation.
   */
  public static CustomerIdentity customer(JsonObject payload, String conversationId) {
    return CustomerIdentity.ofAddress(payload.getString("customer", conversationId), payload.getString("to"));
  }

  public static String kind(JsonObject payload) {
    return payload.getString("kind", KIND_MESSAGE);
  }

  public static JsonObject body(JsonObject payload) {
    return payload.getJsonObject("body", new JsonObject());
  }
}
