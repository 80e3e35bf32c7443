package io.wabot.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Builds the configuration from three layers, later ones winning: the defaults in
 * {@code conf/config.json} (read from the working directory, else from the copy inside the jar),
 * the JSON file named by {@code CONFIG_FILE}, and the environment variables of {@link EnvBindings}.
 *
 * <p>Fails with a {@link ConfigException} listing every problem at once.
 */
public final class ConfigLoader {

  public static final String DEFAULTS_PATH = "conf/config.json";

  /** Sections whose keys are names chosen by the adopter rather than settings we know. */
  static final List<String> OPEN_SECTIONS = List.of("conversation.windowTemplate.languages", BotConfig.SETTINGS);

  private ConfigLoader() {
  }

  /** Loads and validates; {@code env} is normally {@link System#getenv()}. */
  public static Future<LoadedConfig> load(Vertx vertx, Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    String overridePath = blankToNull(env.get("CONFIG_FILE"));
    Future<JsonObject> overrides = overridePath == null
        ? Future.succeededFuture(new JsonObject())
        : readJson(vertx, overridePath).recover(e -> {
          problems.add(unreadableOverride(overridePath, e));
          return Future.succeededFuture(new JsonObject());
        });
    return readJson(vertx, DEFAULTS_PATH)
        .recover(e -> Future.failedFuture(new ConfigException(List.of(
            DEFAULTS_PATH + ": cannot read the default settings (" + rootMessage(e)
                + "). Start the service from the repository root or keep conf/ beside the jar."))))
        .compose(defaults -> overrides.map(file -> build(defaults, file, env, problems)));
  }

  /** The pure part, for tests: merges the layers and validates. */
  static LoadedConfig build(JsonObject defaults, JsonObject file, Map<String, String> env, List<String> earlierProblems) {
    LayeredConfig layers = new LayeredConfig(OPEN_SECTIONS).defaults(defaults).overlay(file, ConfigSource.FILE);
    for (EnvBinding binding : EnvBindings.ALL) {
      String value = blankToNull(env.get(binding.name()));
      if (value != null) {
        layers.set(binding.path(), value, ConfigSource.ENV);
      }
    }
    List<String> problems = new ArrayList<>(earlierProblems);
    for (String unknown : layers.unknownPaths()) {
      problems.add(unknown + ": is not a setting (in CONFIG_FILE)" + suggestion(unknown, layers)
          + ". Remove it or fix its name; conf/config.json lists every setting");
    }
    ConfigReader reader = new ConfigReader(layers);
    AppConfig config = AppConfig.from(reader);
    problems.addAll(reader.problems());
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new LoadedConfig(config, layers);
  }

  private static String unreadableOverride(String path, Throwable e) {
    String example = ". Example: CONFIG_FILE=/etc/whatsapp-chatbot/config.json";
    if (rootCause(e) instanceof NoSuchFileException) {
      Path file = Path.of(path);
      return "CONFIG_FILE: \"" + path + "\" not found"
          + (file.isAbsolute() ? "" : " (relative to " + Path.of("").toAbsolutePath() + ")") + example;
    }
    return "CONFIG_FILE: cannot read \"" + path + "\" as JSON (" + rootMessage(e) + ")" + example;
  }

  private static Future<JsonObject> readJson(Vertx vertx, String path) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setScanPeriod(0)
        .setIncludeDefaultStores(false)
        .addStore(new ConfigStoreOptions().setType("file").setFormat("json").setConfig(new JsonObject().put("path", path))));
    return retriever.getConfig().andThen(done -> retriever.close());
  }

  private static String suggestion(String unknown, LayeredConfig layers) {
    String leaf = unknown.substring(unknown.lastIndexOf('.') + 1);
    return layers.leafSources().keySet().stream()
        .filter(known -> distance(known.substring(known.lastIndexOf('.') + 1), leaf) <= 2)
        .min(Comparator.comparingInt(known -> distance(known, unknown)))
        .map(known -> "; did you mean " + known + "?")
        .orElse("");
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = Character.toLowerCase(a.charAt(i - 1)) == Character.toLowerCase(b.charAt(j - 1)) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = rootCause(e);
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
