package io.wabot.conversation;

import io.vertx.core.json.JsonObject;
import io.wabot.whatsapp.inbound.InboundJobs;
import io.wabot.whatsapp.inbound.InboundMessage;
import io.wabot.whatsapp.inbound.UserPreference;
import java.time.Instant;

/**
 * An inbound job's payload, typed: decoded once per claim ({@link #decode}), so the engine dispatches on
 * the type instead of a {@code kind} string and its handlers never read the JSON. The formats are
 * documented where they are written: customer messages and preferences in {@link InboundJobs}, the
 * conversation's own jobs in {@link ConversationJobs} (which writes them through {@link #encode}).
 */
public sealed interface InboundJob {

  /** A customer's message (or an echo of what a person sent from the Business app), parsed from the stored raw JSON. */
  record CustomerMessage(InboundMessage message, long receivedAtMs) implements InboundJob {
    @Override
    public String number() {
      return message.meta().phoneNumberId();
    }
  }

  /**
   * A marketing opt-out or opt-in.
   *
   * @param source {@link InboundJobs#FROM_WEBHOOK} or {@link InboundJobs#FROM_API_ERROR}
   * @param number the business number it concerns ({@code phoneNumberId} in the payload), or null for the default
   */
  record Preference(UserPreference preference, String source, String number) implements InboundJob {
  }

  /**
   * The bot takes the conversation back.
   *
   * @param escalationId the hand-off to end, or null for whichever is in progress
   * @param reason       {@code admin}, {@code agent} or {@code timeout}
   * @param number       the business number of the conversation, or null for the default (jobs of earlier versions)
   */
  record Handback(String customerKey, String reason, String escalationId, String number) implements InboundJob {
    @Override
    public JsonObject encode() {
      return new JsonObject().put(KIND, ConversationJobs.HANDBACK).put("customer", customerKey).put("reason", reason)
          .put("escalationId", escalationId).put(NUMBER, number);
    }
  }

  /** Waits (postponed) until a hand-off's deadline, then stores a {@link Handback}. */
  record HandoffTimer(String customerKey, String escalationId, Instant until, String number) implements InboundJob {
    @Override
    public JsonObject encode() {
      return new JsonObject().put(KIND, ConversationJobs.HANDOFF_TIMER).put("customer", customerKey)
          .put("escalationId", escalationId).put("until", until.toString()).put(NUMBER, number);
    }
  }

  /**
   * A person's words for the customer during a hand-off.
   *
   * @param source         {@code admin} (the admin endpoint) or {@code agent} (the agent's WhatsApp)
   * @param agentMessageId the agent's WhatsApp message it came from; null from the admin endpoint
   */
  record AgentReply(String customerKey, String text, String source, String agentMessageId, String number)
      implements InboundJob {
    @Override
    public JsonObject encode() {
      return new JsonObject().put(KIND, ConversationJobs.AGENT_REPLY).put("customer", customerKey).put("text", text)
          .put("source", source).put("agentMessageId", agentMessageId).put(NUMBER, number);
    }
  }

  String KIND = "kind";
  /** The business number ({@code phone_number_id}) of the conversation's own jobs. */
  String NUMBER = "number";

  /**
   * The business number whose conversation this job belongs to ({@code phone_number_id}): the one the message
   * arrived on, or the one the conversation's own job names. Null for jobs stored before numbers were
   * configurable: they belong to the default number.
   */
  String number();

  /** The stored payload of the conversation's own jobs; messages and preferences are written by {@link InboundJobs}. */
  default JsonObject encode() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " is written by InboundJobs");
  }

  /**
   * Reads a stored payload of the conversation {@code conversationId}; a payload without {@code kind}
   * is a customer message (the first format).
   *
   * @throws IllegalArgumentException for a kind this version does not know, or a payload that holds no message
   */
  static InboundJob decode(JsonObject payload, String conversationId) {
    String kind = payload.getString(KIND, ConversationJobs.MESSAGE);
    switch (kind) {
      case ConversationJobs.MESSAGE:
        InboundMessage message = InboundJobs.message(payload, conversationId);
        if (message == null) {
          throw new IllegalArgumentException("the payload holds no WhatsApp message");
        }
        return new CustomerMessage(message, InboundJobs.receivedAtMs(payload));
      case InboundJobs.KIND_PREFERENCE:
        return new Preference(InboundJobs.preference(payload, conversationId), payload.getString("source"),
            payload.getString("phoneNumberId"));
      case ConversationJobs.HANDBACK:
        return new Handback(payload.getString("customer", conversationId), payload.getString("reason", "admin"),
            payload.getString("escalationId"), payload.getString(NUMBER));
      case ConversationJobs.HANDOFF_TIMER:
        return new HandoffTimer(payload.getString("customer"), payload.getString("escalationId"),
            Instant.parse(payload.getString("until")), payload.getString(NUMBER));
      case ConversationJobs.AGENT_REPLY:
        return new AgentReply(payload.getString("customer", conversationId), payload.getString("text"),
            payload.getString("source"), payload.getString("agentMessageId"), payload.getString(NUMBER));
      default:
        throw new IllegalArgumentException("unknown inbound job kind \"" + kind + "\"");
    }
  }
}
