package io.wabot.bot;

import io.vertx.core.json.JsonObject;
import io.wabot.config.ConfigReader;
import io.wabot.config.ConfigSource;
import io.wabot.config.LayeredConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Reads a bot's own settings, {@code bot.settings.<key>}, with the checks and messages of our own
 * settings: a wrong value is a start-up problem naming the setting and an example, never an exception
 * at the first message. Read every key in {@link Bot#readSettings}, into a record.
 */
public final class BotSettings {

  private static final String PREFIX = "bot.settings.";

  private final ConfigReader reader;

  BotSettings(JsonObject section) {
    // The section is the adopter's: an empty one defines the shape, their keys are an open overlay.
    this.reader = new ConfigReader(new LayeredConfig(List.of("bot.settings"))
        .defaults(new JsonObject().put("bot", new JsonObject().put("settings", new JsonObject())))
        .overlay(new JsonObject().put("bot", new JsonObject().put("settings", section)), ConfigSource.FILE));
  }

  /** What was wrong, one line each; empty when every read succeeded. */
  List<String> problems() {
    return reader.problems();
  }

  /** A string, or null when absent or blank. */
  public String optionalString(String key) {
    return reader.optionalString(PREFIX + key);
  }

  /** A string that must be there; {@code example} as a user writes it in JSON, e.g. {@code "\"hello\""}. */
  public String string(String key, String example) {
    return reader.string(PREFIX + key, example);
  }

  public String oneOf(String key, Set<String> allowed, String example) {
    return reader.oneOf(PREFIX + key, allowed, example);
  }

  public int integer(String key, int min, int max, int example) {
    return reader.integer(PREFIX + key, min, max, example);
  }

  public boolean bool(String key, boolean example) {
    return reader.bool(PREFIX + key, example);
  }

  /** A duration such as {@code "30s"} or {@code "2h"}, within {@code [min, max]}. */
  public Duration duration(String key, Duration min, Duration max, String example) {
    return reader.duration(PREFIX + key, min, max, example);
  }

  public String httpUrl(String key, String example) {
    return reader.httpUrl(PREFIX + key, example);
  }

  /** Records a problem of your own, e.g. two settings that contradict each other. */
  public void problem(String key, String what, String example) {
    reader.problem(PREFIX + key, what, example);
  }
}
