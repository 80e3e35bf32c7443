package io.wabot.flows;

/** What {@link FlowTokens} says about a token Meta sent back. */
public sealed interface FlowTokenCheck {

  /** The token is the bot's, unexpired, unused (and, on completion, from its own conversation). */
  record Valid(FlowToken token) implements FlowTokenCheck {
  }

  /**
   * The token may not be used.
   *
   * @param token what is known of it; null when the bot never issued it
   */
  record Refused(Reason reason, FlowToken token) implements FlowTokenCheck {
  }

  /** Why a token was refused; {@link #wireName()} is what events and metrics show. */
  enum Reason {
    /** Never issued by this bot (or so long expired that it is forgotten). */
    UNKNOWN,
    EXPIRED,
    /** The flow was completed with it already. */
    USED,
    /** Completed from another conversation than the one it was issued to. */
    FOREIGN;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
