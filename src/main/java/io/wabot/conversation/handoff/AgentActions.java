package io.wabot.conversation.handoff;

import java.util.Optional;

/**
 * The reply buttons under a hand-off notification on the agent's WhatsApp: <em>Answer</em> (what the
 * agent writes next goes to this customer) and <em>Hand back to bot</em> (the bot takes the customer
 * back). Their ids name the customer by conversation key. A customer cannot use them: only messages
 * from the configured agent number are read as the agent's ({@link AgentSeat}).
 */
public final class AgentActions {

  /** What a tapped button asks for. */
  public sealed interface Action {
    String customerKey();
  }

  /** The agent answers this customer: their next messages go to them. */
  public record Answer(String customerKey) implements Action {
  }

  /** The agent is done: the hand-off in progress ends and the bot takes over again. */
  public record Handback(String customerKey) implements Action {
  }

  static final String ANSWER = "agent:answer:";
  static final String HANDBACK = "agent:handback:";

  private AgentActions() {
  }

  public static String answerId(String customerKey) {
    return ANSWER + customerKey;
  }

  public static String handbackId(String customerKey) {
    return HANDBACK + customerKey;
  }

  /** The action of a button id, or empty when it is none of these (a customer's menu button, an unknown id). */
  public static Optional<Action> parse(String buttonId) {
    if (buttonId == null) {
      return Optional.empty();
    }
    if (buttonId.startsWith(ANSWER) && buttonId.length() > ANSWER.length()) {
      return Optional.of(new Answer(buttonId.substring(ANSWER.length())));
    }
    if (buttonId.startsWith(HANDBACK) && buttonId.length() > HANDBACK.length()) {
      return Optional.of(new Handback(buttonId.substring(HANDBACK.length())));
    }
    return Optional.empty();
  }
}
