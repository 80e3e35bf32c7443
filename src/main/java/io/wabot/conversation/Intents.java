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

  private final Map<Intent.Kind, Set<String>> phrases = new LinkedHashMap<>();
  private final Set<String> agentWords;
  private final Map<String, String> languageNames = new LinkedHashMap<>();

  public Intents(MessageCatalog catalog) {
    for (Intent.Kind kind : Intent.Kind.values()) {
      if (kind.keywords() != null) {
        phrases.put(kind, catalog.keywordsInAnyLocale(kind.keywords()));
      }
    }
    agentWords = catalog.keywordsInAnyLocale("agent_words");
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
    for (Map.Entry<Intent.Kind, Set<String>> entry : phrases.entrySet()) {
      if (entry.getValue().contains(folded)) {
        return Optional.of(Intent.of(entry.getKey()));
      }
    }
    String locale = languageNames.get(folded);
    if (locale != null) {
      return Optional.of(new Intent(Intent.Kind.SET_LANGUAGE, locale));
    }
    List<String> words = Arrays.asList(folded.split(" "));
    if (words.size() <= SHORT_MESSAGE_WORDS && words.stream().anyMatch(agentWords::contains)) {
      return Optional.of(Intent.of(Intent.Kind.AGENT));
    }
    if (phrases.get(Intent.Kind.GREETING).containsAll(words)) {
      return Optional.of(Intent.of(Intent.Kind.GREETING));
    }
    if (phrases.get(Intent.Kind.THANKS).containsAll(words)) {
      return Optional.of(Intent.of(Intent.Kind.THANKS));
    }
    return Optional.empty();
  }
}
