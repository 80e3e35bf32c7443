package io.wabot.conversation;

import io.vertx.core.Future;
import java.util.Set;

/**
 * A global command: something a customer can ask anywhere in a conversation, before any flow sees
 * the message. The bot lists its commands ({@code Bot.commands}); {@link Commands#standard()} are the
 * engine's (menu, help, agent, language, greeting, thanks). STOP and START are not commands a bot can
 * drop: consent words are always honoured.
 *
 * <p>A command is recognised when the whole message, folded (lower case, no accents or punctuation), is
 * one of its words, the {@code keywords.<name>} list of the message files in any loaded locale, or when
 * a customer taps a button or list row with id {@code core:<name>}.
 */
public interface Command {

  /** Its name: its words are {@code keywords.<name>}, its button id {@code core:<name>}. */
  String name();

  /**
   * Answers the command, like a flow's {@code handle}: {@code turn.say}, {@code turn.send},
   * {@code turn.escalate}; {@code conversation} shows the main menu.
   */
  Future<Void> run(Turn turn, Conversation conversation);

  /** The copy it uses, checked to exist at start-up: by default its keywords. */
  default Set<String> messageKeys() {
    return Set.of("keywords." + name());
  }

  /** What the engine offers a command besides the turn. */
  interface Conversation {

    /** Shows the home flow's start (the main menu), after {@code intro} or, when null, after its greeting. */
    Future<Void> startHome(Turn turn, String intro);

    /** Offers the customer the complete locales to choose from. */
    Future<Void> pickLanguage(Turn turn);
  }
}
