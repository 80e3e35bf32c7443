package io.wabot.conversation;

import io.wabot.conversation.i18n.MessageCatalog;
import io.wabot.conversation.i18n.TextFold;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises global commands in what a customer typed, in any loaded locale: the whole message must
 * be one of the command's words ({@code "menu"}, {@code "¡Menú!"}), except that a short message
 * mentioning a person ({@code "can I talk to a human?"}) also asks for an agent, and a message made only
 * of greeting or thanks words is small talk. Consent words must match exactly, never by mention.
 */
public final class Intents {

  /** A message longer than this is a question, not a request for a person, even if it mentions one. */
  private static final int SHORT_MESSAGE_WORDS = 7;

  private final Map<Intent, Set<String>> phrases = new LinkedHashMap<>();
  private final Set<String> agentWords;
  private final Set<String> greetingWords;
  private final Set<String> thanksWords;
  private final Map<String, String> languageNames = new LinkedHashMap<>();
  private final List<Command> commands;

  /** @param commands the bot's global commands, in the order they are recognised (after STOP and START) */
  public Intents(MessageCatalog catalog, List<Command> commands) {
    this.commands = List.copyOf(commands);
    phrases.put(Intent.of(Intent.Kind.STOP), catalog.keywordsInAnyLocale("stop"));
    phrases.put(Intent.of(Intent.Kind.START), catalog.keywordsInAnyLocale("start"));
    for (Command command : this.commands) {
      phrases.put(Intent.of(command), catalog.keywordsInAnyLocale(command.name()));
    }
    // The loose rules of the engine's own commands apply only when the bot keeps them.
    agentWords = this.commands.contains(Commands.AGENT) ? catalog.keywordsInAnyLocale("agent_words") : Set.of();
    greetingWords = this.commands.contains(Commands.GREETING) ? catalog.keywordsInAnyLocale("greeting") : Set.of();
    thanksWords = this.commands.contains(Commands.THANKS) ? catalog.keywordsInAnyLocale("thanks") : Set.of();
    for (String locale : catalog.completeLocales()) {
      String name = catalog.text(locale, "language.name");
      if (name != null) {
        languageNames.put(TextFold.fold(name), locale);
      }
    }
  }

  public Optional<Intent> parse(String typed) {
    String folded = TextFold.fold(typed);
    if (folded.isEmpty()) {
      return Optional.empty();
    }
    for (Map.Entry<Intent, Set<String>> entry : phrases.entrySet()) {
      if (entry.getValue().contains(folded)) {
        return Optional.of(entry.getKey());
      }
    }
    String locale = languageNames.get(folded);
    if (locale != null) {
      return Optional.of(Intent.language(locale));
    }
    List<String> words = Arrays.asList(folded.split(" "));
    if (words.size() <= SHORT_MESSAGE_WORDS && words.stream().anyMatch(agentWords::contains)) {
      return Optional.of(Intent.of(Commands.AGENT));
    }
    if (!greetingWords.isEmpty() && greetingWords.containsAll(words)) {
      return Optional.of(Intent.of(Commands.GREETING));
    }
    if (!thanksWords.isEmpty() && thanksWords.containsAll(words)) {
      return Optional.of(Intent.of(Commands.THANKS));
    }
    return Optional.empty();
  }

  /** The command a button id {@code core:<name>} stands for, if the bot has it. */
  public Optional<Intent> tapped(String command) {
    if (command.equals("stop")) {
      return Optional.of(Intent.of(Intent.Kind.STOP));
    }
    if (command.equals("start")) {
      return Optional.of(Intent.of(Intent.Kind.START));
    }
    if (command.startsWith("lang:")) {
      return Optional.of(Intent.language(command.substring(5)));
    }
    return commands.stream().filter(c -> c.name().equals(command)).findFirst().map(Intent::of);
  }
}
