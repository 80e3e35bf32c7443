package io.wabot.conversation;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Meters of the conversation engine (Prometheus shows dots as underscores), counted in the registry the
 * engine is given: the application's, or a test's own. An engine of a named business number adds the tag
 * {@code number} (its label) to each; one built without a number (a test of one number) has none.
 */
public final class ConversationMetrics {

  /** Counter, tag {@code outcome}: understood, misunderstood, command, quiet, media, lost_state. */
  public static final String TURNS = "wabot.conversation.turns";
  /** Counter, tag {@code reason}: hand-offs to a person. */
  public static final String HANDOFFS = "wabot.conversation.handoffs";
  /** Counter, tag {@code purpose}: outbound messages held back by the consent hook or a closed window. */
  public static final String DROPPED = "wabot.conversation.dropped";

  private final MeterRegistry registry;
  /** The number's label, or null for an engine without a number. */
  private final String number;

  public ConversationMetrics(MeterRegistry registry) {
    this(registry, ServedNumber.UNNAMED);
  }

  public ConversationMetrics(MeterRegistry registry, ServedNumber number) {
    this.registry = registry;
    this.number = number.id() == null ? null : number.label();
  }

  void turn(String outcome) {
    count(TURNS, "outcome", outcome);
  }

  void handoff(String reason) {
    count(HANDOFFS, "reason", reason);
  }

  /** @param purpose lower case: {@code marketing}, {@code window_closed}, ... */
  public void dropped(String purpose) {
    count(DROPPED, "purpose", purpose);
  }

  void completion(String outcome) {
    count(FlowCompletions.COMPLETIONS, "outcome", outcome);
  }

  private void count(String name, String tag, String value) {
    if (number == null) {
      registry.counter(name, tag, value).increment();
    } else {
      registry.counter(name, tag, value, "number", number).increment();
    }
  }
}
