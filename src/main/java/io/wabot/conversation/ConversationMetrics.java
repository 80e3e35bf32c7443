package io.wabot.conversation;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Meters of the conversation engine (Prometheus shows dots as underscores), counted in the registry the
 * engine is given: the application's, or a test's own.
 */
public final class ConversationMetrics {

  /** Counter, tag {@code outcome}: understood, misunderstood, command, quiet, media, lost_state. */
  public static final String TURNS = "wabot.conversation.turns";
  /** Counter, tag {@code reason}: hand-offs to a person. */
  public static final String HANDOFFS = "wabot.conversation.handoffs";
  /** Counter, tag {@code purpose}: outbound messages held back by the consent hook or a closed window. */
  public static final String DROPPED = "wabot.conversation.dropped";

  private final MeterRegistry registry;

  public ConversationMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void turn(String outcome) {
    registry.counter(TURNS, "outcome", outcome).increment();
  }

  void handoff(String reason) {
    registry.counter(HANDOFFS, "reason", reason).increment();
  }

  /** @param purpose lower case: {@code marketing}, {@code window_closed}, ... */
  public void dropped(String purpose) {
    registry.counter(DROPPED, "purpose", purpose).increment();
  }

  void completion(String outcome) {
    registry.counter(FlowCompletions.COMPLETIONS, "outcome", outcome).increment();
  }
}
