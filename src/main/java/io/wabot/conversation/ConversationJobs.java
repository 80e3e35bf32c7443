package io.wabot.conversation;

import io.wabot.observability.Correlation;
import io.wabot.queue.NewJob;

/**
 * Jobs of the inbound queue besides customer messages ({@code InboundJobs}): they change a
 * conversation, so they run in the customer's own FIFO, one at a time with their messages. Each names the
 * business number of its conversation ({@code "number"}: its {@code phone_number_id}; absent in jobs of earlier
 * versions, which belong to the default number), so it runs with that number's settings and bot, and what it
 * sends goes out from that number.
 *
 * <ul>
 *   <li>{@code handback}: the bot takes the conversation back from a person (an admin or the agent
 *       asked, or the hand-off timed out). Conversation: the customer's conversation key.</li>
 *   <li>{@code handoff_timer}: waits (postponed) until a hand-off's deadline, then stores a
 *       {@code handback}. Conversation: {@code timer:<conversation key>}, so waiting never holds up the
 *       customer's messages.</li>
 *   <li>{@code preference}: a marketing opt-out or opt-in, handed to the consent hook (format in
 *       {@code InboundJobs}). Conversation: the customer.</li>
 *   <li>{@code agent_reply}: a person's words for the customer during a hand-off, from the admin
 *       endpoint or the agent's WhatsApp ({@code AgentReplies}). Conversation: the customer, so the words
 *       go out in order with the conversation and never after a hand-back queued before them.</li>
 * </ul>
 */
public final class ConversationJobs {

  static final String MESSAGE = "message";
  static final String HANDBACK = "handback";
  static final String HANDOFF_TIMER = "handoff_timer";
  static final String AGENT_REPLY = "agent_reply";

  private ConversationJobs() {
  }

  /**
   * @param customerKey  the customer's conversation key
   * @param escalationId the hand-off to end, or null for whichever is in progress
   * @param reason       {@code admin}, {@code agent} (the agent's <em>Hand back to bot</em>) or {@code timeout}
   * @param number       the business number of the conversation ({@code phone_number_id}); null for the default
   */
  public static NewJob handback(String jobId, String customerKey, String reason, String escalationId,
      Correlation correlation, String number) {
    return NewJob.of(jobId, customerKey, correlation,
        new InboundJob.Handback(customerKey, reason, escalationId, number).encode());
  }

  /**
   * @param text           what the person wrote, as the customer will read it
   * @param source         {@code admin} (the admin endpoint) or {@code agent} (the agent's WhatsApp)
   * @param agentMessageId the agent's WhatsApp message it came from, for notes quoting it; null from the admin endpoint
   * @param number         the business number of the conversation, from which the words go out; null for the default
   */
  public static NewJob agentReply(String jobId, String customerKey, String text, String source, String agentMessageId,
      Correlation correlation, String number) {
    return NewJob.of(jobId, customerKey, correlation,
        new InboundJob.AgentReply(customerKey, text, source, agentMessageId, number).encode());
  }

  static NewJob handoffTimer(Handoff handoff, String customerKey, Correlation correlation, String number) {
    return NewJob.of(handoff.escalationId() + ":timer", "timer:" + customerKey, correlation,
        new InboundJob.HandoffTimer(customerKey, handoff.escalationId(), handoff.until(), number).encode());
  }
}
