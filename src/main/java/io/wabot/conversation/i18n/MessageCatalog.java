package io.wabot.conversation.i18n;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.common.Locales;
import io.wabot.config.ConfigException;
import io.wabot.observability.Events;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's copy: one JSON file per locale ({@code conf/messages/<locale>.json}) mapping keys to texts
 * with {@code {placeholders}}, plus {@code keywords.*} lists of words customers type for commands.
 *
 * <p>A complete locale has every key of the default locale; a partial one (its file says
 * {@code "_meta": {"partial": true}}) overrides a few and falls back along its chain for the rest
 * ({@code es_MX → es → en}). A text found only in another language is used and logged as a warning
 * once per key and locale. Files are checked when loaded: every problem becomes one line of a
 * {@link ConfigException}, reported at start-up like any configuration problem.
 */
public final class MessageCatalog {

  private static final Logger LOG = LoggerFactory.getLogger(MessageCatalog.class);
  static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z][a-z0-9_.]*)}");
  static final String KEYWORDS = "keywords.";

  /** Placeholders filled by {@link Texts} itself rather than by the caller. */
  public static final Set<String> AMBIENT = Set.of("person", "shop", "cmd.agent", "cmd.menu", "cmd.help", "cmd.stop",
      "cmd.start", "cmd.language");

  /** One locale's file. */
  record LocaleFile(String locale, boolean partial, Map<String, String> texts, Map<String, List<String>> keywords) {
  }

  private final String defaultLocale;
  private final Map<String, LocaleFile> files;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  /** Each text of this catalog split at its placeholders, once: a turn renders several texts. */
  private final Map<String, Template> templates = new ConcurrentHashMap<>();

  /**
   * A text split at its placeholders: {@code literals[0]}, the value of {@code names[0]}, {@code literals[1]}, ...
   * ({@code literals} has one more element than {@code names}).
   */
  record Template(String[] literals, String[] names) {

    static Template of(String text) {
      List<String> literals = new ArrayList<>();
      List<String> names = new ArrayList<>();
      Matcher m = PLACEHOLDER.matcher(text);
      int end = 0;
      while (m.find()) {
        literals.add(text.substring(end, m.start()));
        names.add(m.group(1));
        end = m.end();
      }
      literals.add(text.substring(end));
      return new Template(literals.toArray(String[]::new), names.toArray(String[]::new));
    }
  }

  private MessageCatalog(String defaultLocale, Map<String, LocaleFile> files) {
    this.defaultLocale = defaultLocale;
    this.files = files;
  }

  /**
   * Reads {@code <dir>/<locale>.json} for each locale (from disk, else from the copy in the jar) and
   * checks them against each other and against {@code requiredKeys}, the keys the code uses.
   */
  public static Future<MessageCatalog> load(Vertx vertx, String dir, List<String> locales, String defaultLocale,
      Collection<String> requiredKeys) {
    Map<String, Future<String>> reads = new LinkedHashMap<>();
    for (String locale : locales) {
      reads.put(locale, vertx.fileSystem().readFile(dir + "/" + locale + ".json").map(b -> b.toString()));
    }
    return Future.join(new ArrayList<>(reads.values())).transform(ignored -> {
      Map<String, String> contents = new LinkedHashMap<>();
      List<String> problems = new ArrayList<>();
      reads.forEach((locale, read) -> {
        if (read.succeeded()) {
          contents.put(locale, read.result());
        } else {
          problems.add(dir + "/" + locale + ".json: cannot be read (" + read.cause().getMessage() + "). Create it, or remove \""
              + locale + "\" from conversation.locales");
        }
      });
      try {
        MessageCatalog catalog = parse(dir, contents, defaultLocale, requiredKeys, problems);
        return Future.succeededFuture(catalog);
      } catch (ConfigException e) {
        return Future.failedFuture(e);
      }
    });
  }

  /** The pure part of {@link #load}: parses and checks the files' contents; throws listing every problem. */
  public static MessageCatalog parse(String dir, Map<String, String> contents, String defaultLocale,
      Collection<String> requiredKeys, List<String> earlierProblems) {
    List<String> problems = new ArrayList<>(earlierProblems);
    Map<String, LocaleFile> files = new LinkedHashMap<>();
    contents.forEach((locale, content) -> {
      LocaleFile file = parseFile(dir + "/" + locale + ".json", locale, content, problems);
      if (file != null) {
        files.put(locale, file);
      }
    });
    LocaleFile base = files.get(defaultLocale);
    if (base != null) {
      String basePath = dir + "/" + defaultLocale + ".json";
      if (base.partial()) {
        problems.add(basePath + ": the default locale cannot be partial; remove \"_meta\".\"partial\"");
      }
      Set<String> missing = new TreeSet<>(requiredKeys);
      missing.removeAll(base.texts().keySet());
      missing.removeIf(k -> k.startsWith(KEYWORDS) && base.keywords().containsKey(k));
      if (!missing.isEmpty()) {
        problems.add(basePath + ": missing keys the code uses " + missing + "; add them with their text");
      }
      files.values().stream().filter(f -> f != base).forEach(f -> compare(dir + "/" + f.locale() + ".json", f, base, problems));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new MessageCatalog(defaultLocale, Map.copyOf(files));
  }

  private static LocaleFile parseFile(String path, String locale, String content, List<String> problems) {
    JsonObject json;
    try {
      json = new JsonObject(content);
    } catch (DecodeException e) {
      problems.add(path + ": is not valid JSON (" + firstLine(e.getMessage()) + "). Fix the file; it must be one object of \"key\": \"text\" pairs");
      return null;
    }
    boolean partial = json.getValue("_meta") instanceof JsonObject meta && Boolean.TRUE.equals(meta.getValue("partial"));
    Map<String, String> texts = new LinkedHashMap<>();
    Map<String, List<String>> keywords = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : json) {
      String key = entry.getKey();
      Object value = entry.getValue();
      if (key.equals("_meta")) {
        continue;
      }
      if (key.startsWith(KEYWORDS)) {
        List<String> words = words(value);
        if (words == null) {
          problems.add(path + ": \"" + key + "\" must be a list of words, e.g. [\"menu\", \"start over\"]");
        } else {
          keywords.put(key, words);
        }
      } else if (value instanceof String text && !text.isBlank()) {
        texts.put(key, text);
      } else {
        problems.add(path + ": \"" + key + "\" must be a non-empty text, e.g. \"Hi {name}!\"");
      }
    }
    return new LocaleFile(locale, partial, texts, keywords);
  }

  private static List<String> words(Object value) {
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      return null;
    }
    List<String> words = new ArrayList<>();
    for (Object word : array) {
      if (!(word instanceof String s) || TextFold.fold(s).isEmpty()) {
        return null;
      }
      words.add(TextFold.fold(s));
    }
    return List.copyOf(words);
  }

  private static void compare(String path, LocaleFile file, LocaleFile base, List<String> problems) {
    if (!file.partial()) {
      Set<String> missing = new TreeSet<>(base.texts().keySet());
      missing.addAll(base.keywords().keySet());
      missing.removeAll(file.texts().keySet());
      missing.removeAll(file.keywords().keySet());
      if (!missing.isEmpty()) {
        problems.add(path + ": missing keys " + missing + "; translate them from " + base.locale()
            + ".json, or mark the file partial with \"_meta\": {\"partial\": true}");
      }
    }
    Set<String> unknown = new TreeSet<>(file.texts().keySet());
    unknown.addAll(file.keywords().keySet());
    unknown.removeAll(base.texts().keySet());
    unknown.removeAll(base.keywords().keySet());
    if (!unknown.isEmpty()) {
      problems.add(path + ": keys " + unknown + " are not in " + base.locale() + ".json (a typo?); every key starts there");
    }
    file.texts().forEach((key, text) -> {
      String baseText = base.texts().get(key);
      if (baseText == null) {
        return;
      }
      Set<String> allowed = new LinkedHashSet<>(placeholders(baseText));
      allowed.addAll(AMBIENT);
      Set<String> extra = new TreeSet<>(placeholders(text));
      extra.removeAll(allowed);
      if (!extra.isEmpty()) {
        problems.add(path + ": \"" + key + "\" uses " + extra.stream().map(p -> "{" + p + "}").toList()
            + " which " + base.locale() + ".json does not; use only " + placeholders(baseText).stream().map(p -> "{" + p + "}").toList());
      }
    });
  }

  /** A text of this catalog split at its placeholders, remembered (the catalog's texts are a fixed set). */
  Template template(String text) {
    return templates.computeIfAbsent(text, Template::of);
  }

  /** The distinct placeholders of a text, in order of first use. */
  static Set<String> placeholders(String text) {
    return new LinkedHashSet<>(List.of(Template.of(text).names()));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  // ---- lookups -------------------------------------------------------------------------------

  public String defaultLocale() {
    return defaultLocale;
  }

  public boolean supports(String locale) {
    return files.containsKey(locale);
  }

  /** Locales whose files have every key: the ones offered when a customer picks a language. */
  public List<String> completeLocales() {
    return files.values().stream().filter(f -> !f.partial()).map(LocaleFile::locale).sorted().toList();
  }

  /** The best supported locale for a wish: itself, else its language, else the default. */
  public String closestSupported(String locale) {
    for (String candidate : Locales.chain(locale, defaultLocale)) {
      if (files.containsKey(candidate)) {
        return candidate;
      }
    }
    return defaultLocale;
  }

  /** The text of {@code key} along the chain of {@code locale}, or null when no locale has it. */
  public String text(String locale, String key) {
    String requestedLanguage = Locales.language(locale);
    for (String candidate : Locales.chain(locale, defaultLocale)) {
      LocaleFile file = files.get(candidate);
      String text = file == null ? null : file.texts().get(key);
      if (text != null) {
        if (!Locales.language(candidate).equals(requestedLanguage) && warned.add(locale + "|" + key)) {
          Events.warn(LOG, "messages.key_missing").addKeyValue("locale", locale).addKeyValue("key", key)
              .addKeyValue("used_locale", candidate)
              .log("Message \"{}\" has no {} text; using {} (add it to {}.json)", key, locale, candidate, Locales.language(locale));
        }
        return text;
      }
    }
    if (warned.add("*|" + key)) {
      Events.error(LOG, "messages.key_unknown").addKeyValue("key", key)
          .log("Message \"{}\" exists in no locale; add it to {}.json", key, defaultLocale);
    }
    return null;
  }

  public boolean has(String key) {
    LocaleFile base = files.get(defaultLocale);
    return base != null && base.texts().containsKey(key);
  }

  /** The words of {@code keywords.<intent>} in every locale: customers mix languages. */
  public Set<String> keywordsInAnyLocale(String intent) {
    Set<String> all = new LinkedHashSet<>();
    files.values().forEach(f -> all.addAll(f.keywords().getOrDefault(KEYWORDS + intent, List.of())));
    return all;
  }

  /** The words of {@code keywords.<intent>} for one locale, along its chain; the first is the one to advertise. */
  public List<String> keywords(String locale, String intent) {
    for (String candidate : Locales.chain(locale, defaultLocale)) {
      LocaleFile file = files.get(candidate);
      List<String> words = file == null ? null : file.keywords().get(KEYWORDS + intent);
      if (words != null) {
        return words;
      }
    }
    return List.of();
  }

  /** A renderer bound to one locale. */
  public Texts texts(String locale, Map<String, String> ambient) {
    return new Texts(this, closestSupported(locale), ambient);
  }
}
