package io.wabot.conversation;

/** Meters of the conversation engine (Prometheus shows dots as underscores). */
public final class ConversationMetrics {

  /** Counter, tag {@code outcome}: understood, misunderstood, command, quiet, media, lost_state. */
  public static final String TURNS = "wabot.conversation.turns";
  /** Counter, tag {@code reason}: hand-offs to a person. */
  public static final String HANDOFFS = "wabot.conversation.handoffs";
  /** Counter, tag {@code purpose}: outbound messages held back by the consent hook or a closed window. */
  public static final String DROPPED = "wabot.conversation.dropped";

  private ConversationMetrics() {
  }
}
