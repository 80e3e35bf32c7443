package io.wabot.conversation;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engine's global commands. {@link #standard()} is the default list of a bot; a bot adds its own
 * to it or leaves one out ({@code Bot.commands}). Their words are copy: {@code keywords.<name>}.
 */
public final class Commands {

  /** Back to the main menu, forgetting where the customer was; during a hand-off it also ends it. */
  public static final Command MENU = builtIn("menu", (turn, conversation) -> {
    turn.replaceState(turn.state().at(null, null).withContext(Map.of()));
    return conversation.startHome(turn, null);
  });

  /** What the bot can do, then the main menu. */
  public static final Command HELP = builtIn("help", (turn, conversation) -> conversation.startHome(turn, turn.texts().get("help.body")));

  /**
   * A person, please. Also recognised in a short message mentioning one of {@code keywords.agent_words}
   * ("can I talk to a human?").
   */
  public static final Command AGENT = builtIn("agent", (turn, conversation) -> {
    boolean offered = turn.state().context(Handoffs.OFFERED_PERSON) != null;
    turn.escalate(new Escalation(offered ? "not_understood" : "requested", null, null));
    return Future.succeededFuture();
  });

  /** The language picker. A language's own name ("Español") picks it whatever the list holds. */
  public static final Command LANGUAGE = builtIn("language", (turn, conversation) -> conversation.pickLanguage(turn));

  /** A message made only of greeting words: the main menu, as for "menu". */
  public static final Command GREETING = builtIn("greeting", MENU::run);

  /** A message made only of thanks words: a short reply, no menu. */
  public static final Command THANKS = builtIn("thanks", (turn, conversation) -> {
    turn.say("thanks.reply");
    return Future.succeededFuture();
  });

  private Commands() {
  }

  /** The engine's commands, in the order they are recognised. */
  public static List<Command> standard() {
    return List.of(MENU, HELP, AGENT, LANGUAGE, GREETING, THANKS);
  }

  /** The standard commands followed by {@code more}: how a bot adds its own. */
  public static List<Command> standardAnd(Command... more) {
    List<Command> all = new ArrayList<>(standard());
    all.addAll(List.of(more));
    return List.copyOf(all);
  }

  private interface Action {
    Future<Void> run(Turn turn, Command.Conversation conversation);
  }

  private static Command builtIn(String name, Action action) {
    return new Command() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Future<Void> run(Turn turn, Conversation conversation) {
        return action.run(turn, conversation);
      }

      @Override
      public String toString() {
        return "Commands." + name.toUpperCase(java.util.Locale.ROOT);
      }
    };
  }
}
