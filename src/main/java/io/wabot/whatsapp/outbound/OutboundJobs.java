package io.wabot.whatsapp.outbound;

import io.wabot.customer.CustomerIdentity;
import io.wabot.observability.Correlation;
import io.wabot.queue.NewJob;

/**
 * The outbound job format, shared by whoever produces replies and the sender that sends them.
 *
 * <p>Payload: {@code {"kind": "message"|"read", "body": <the Cloud API request body>, "to" (the address:
 * phone number or BSUID), "customer" (the conversation key), "locale", "receivedAtMs", "number" (the sending
 * business number's phone_number_id; absent: the default number), "correlation"}}.
 * The conversation of a message job is the customer's conversation key, so replies to one customer go
 * out one at a time, in order, even when their address changes from BSUID to phone number. The read
 * receipt of the message a turn answers rides on the turn's first reply ({@code "receipt"}, see {@link #reply}):
 * the sender requests it beside the reply, so it costs no job of its own and never holds the reply back. A
 * turn without a reply stores it as a job of its own ({@code "kind": "read"}, {@link #markAsRead}) in a
 * conversation of its own ({@code read:<key>}). Messages to the team go in
 * {@code team:<business number id>:<agent number>}.
 *
 * <p>Job ids are derived from the inbound job that caused them ({@code <inbound id>:r0}, {@code :r1},
 * ..., {@code :read}), so a flow that runs again after a crash stores nothing twice.
 */
public final class OutboundJobs {

  static final String AUDIENCE_TEAM = "team";

  private OutboundJobs() {
  }

  /**
   * @param customerKey  the customer's conversation key ({@link CustomerIdentity#key()}): replies to one
   *                     customer go out in order
   * @param locale       the customer's locale, for a template fallback when the 24 h window has closed
   * @param receivedAtMs when the inbound message that caused this reply arrived (0 if none), for latency
   * @param number       the business number that sends it (the one the customer wrote to), or null for the default
   */
  public static NewJob message(String jobId, OutboundMessage message, String customerKey, Correlation correlation,
      String locale, long receivedAtMs, String number) {
    return reply(jobId, message, customerKey, correlation, locale, receivedAtMs, number, null);
  }

  /**
   * A reply that carries the read receipt of the message it answers: the sender's first claim of the job requests
   * the receipt beside the reply (with its typing indicator), instead of the receipt taking a job of its own, a
   * third of a message's queue work.
   *
   * @param receipt the receipt of the inbound message this answers; null: a plain {@link #message}
   */
  public static NewJob reply(String jobId, OutboundMessage message, String customerKey, Correlation correlation,
      String locale, long receivedAtMs, String number, MarkAsRead receipt) {
    return job(jobId, customerKey, correlation, new OutboundJob.Message(message.toJson(), customerKey, message.to(), locale,
        receivedAtMs, false, null, number, receipt == null ? null : receipt.toJson()));
  }

  /**
   * A message to the business's own team (the sales agent's number), not to a customer: the sender
   * never replaces it with the customers' window template when the agent's 24 h window has closed.
   */
  public static NewJob teamMessage(String jobId, OutboundMessage message, Correlation correlation, String locale,
      String number) {
    // Per sending number: a team message held by one number's pause or breaker never holds another's.
    String conversation = "team:" + (number == null ? "" : number + ":") + message.to();
    return job(jobId, conversation, correlation,
        new OutboundJob.Message(message.toJson(), conversation, message.to(), locale, 0, true, null, number));
  }

  /** @param number the business number the message arrived on, which marks it read; null for the default */
  public static NewJob markAsRead(String jobId, String customerKey, MarkAsRead receipt, Correlation correlation,
      String number) {
    return job(jobId, "read:" + customerKey, correlation, new OutboundJob.ReadReceipt(receipt.toJson(), customerKey, number));
  }

  /** A typed job, stored in the conversation given (a customer's key, {@code read:<key>}, {@code team:<number>}). */
  public static NewJob job(String jobId, String conversationId, Correlation correlation, OutboundJob job) {
    return NewJob.of(jobId, conversationId, correlation, job.encode());
  }
}
