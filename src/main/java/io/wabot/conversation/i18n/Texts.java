package io.wabot.conversation.i18n;

import io.wabot.observability.Events;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copy of one locale, rendered: {@code get("greeting.named", Map.of("name", "Ana"))}.
 *
 * <p>Fallback variants: when a text needs a placeholder the caller cannot fill (the customer's name is
 * unknown), the less specific key is used instead ({@code greeting.named} → {@code greeting}).
 *
 * <p>Some placeholders fill themselves: {@code {shop}}, {@code {person}} (how to reach a person, the
 * text of {@code hint.person}) and {@code {cmd.agent}}, {@code {cmd.menu}}, ... (the first word of
 * that command's {@code keywords.*} list in this locale, upper-cased), so a hint always names a word
 * that really works.
 */
public final class Texts {

  private static final Logger LOG = LoggerFactory.getLogger(Texts.class);
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private final MessageCatalog catalog;
  private final String locale;
  private final Map<String, String> ambient;

  Texts(MessageCatalog catalog, String locale, Map<String, String> ambient) {
    this.catalog = catalog;
    this.locale = locale;
    this.ambient = Map.copyOf(ambient);
  }

  public String locale() {
    return locale;
  }

  public MessageCatalog catalog() {
    return catalog;
  }

  public String get(String key) {
    return get(key, Map.of());
  }

  public String get(String key, Map<String, ?> params) {
    String candidate = key;
    while (true) {
      String text = catalog.text(locale, candidate);
      if (text == null) {
        return key;
      }
      int dot = candidate.lastIndexOf('.');
      String parent = dot > 0 ? candidate.substring(0, dot) : null;
      if (satisfied(text, params) || parent == null || catalog.text(locale, parent) == null) {
        return render(text, params, 0);
      }
      candidate = parent;
    }
  }

  /** The word to advertise for a command, e.g. {@code AGENT} or {@code ASESOR}. */
  public String command(String intent) {
    List<String> words = catalog.keywords(locale, intent);
    return words.isEmpty() ? intent.toUpperCase(Locale.ROOT) : words.get(0).toUpperCase(Locale.ROOT);
  }

  /** The same copy in another locale. */
  public Texts in(String otherLocale) {
    return catalog.texts(otherLocale, ambient);
  }

  private boolean satisfied(String text, Map<String, ?> params) {
    for (String name : catalog.template(text).names()) {
      if (!MessageCatalog.AMBIENT.contains(name) && params.get(name) == null) {
        return false;
      }
    }
    return true;
  }

  private String render(String text, Map<String, ?> params, int depth) {
    MessageCatalog.Template template = catalog.template(text);
    String[] literals = template.literals();
    String[] names = template.names();
    if (names.length == 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 32);
    for (int i = 0; i < names.length; i++) {
      out.append(literals[i]).append(value(names[i], params, depth));
    }
    return out.append(literals[names.length]).toString();
  }

  private String value(String name, Map<String, ?> params, int depth) {
    Object given = params.get(name);
    if (given != null) {
      return given.toString();
    }
    if (name.equals("person") && depth < 2) {
      return render(catalog.text(locale, "hint.person") == null ? "" : catalog.text(locale, "hint.person"), params, depth + 1);
    }
    if (name.startsWith("cmd.")) {
      return command(name.substring(4));
    }
    String fixed = ambient.get(name);
    if (fixed != null) {
      return fixed;
    }
    if (WARNED.add(locale + "|" + name)) {
      Events.warn(LOG, "messages.placeholder_unfilled").addKeyValue("locale", locale).addKeyValue("placeholder", name)
          .log("Placeholder {{}} has no value; rendered empty", name);
    }
    return "";
  }

  /** Renders with named values given as pairs: {@code params("name", "Ana", "count", 3)}. */
  public static Map<String, Object> params(Object... pairs) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        map.put(String.valueOf(pairs[i]), pairs[i + 1]);
      }
    }
    return map;
  }
}
