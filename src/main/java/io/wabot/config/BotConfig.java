package io.wabot.config;

import io.vertx.core.json.JsonObject;

/**
 * Which bot runs and its own settings.
 *
 * @param definition the class name of the {@code Bot} to run ({@code BOT_DEFINITION}), or null for the
 *                   only one registered on the class path
 * @param settings   the bot's own section, {@code bot.settings}: keys the bot chooses and reads itself
 */
public record BotConfig(String definition, JsonObject settings) {

  /** The open section whose keys belong to the bot, not to us. */
  static final String SETTINGS = "bot.settings";

  static BotConfig from(ConfigReader r) {
    Object settings = r.layers().get(SETTINGS);
    return new BotConfig(r.optionalString("bot.definition"), settings == null ? new JsonObject() : r.object(SETTINGS));
  }
}
