package io.wabot.config;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Lets tests in other packages build a validated configuration from an environment map. */
public final class ConfigLoaderAccess {

  private ConfigLoaderAccess() {
  }

  public static LoadedConfig build(Map<String, String> env, JsonObject overrides) {
    try {
      JsonObject defaults = new JsonObject(Files.readString(Path.of(ConfigLoader.DEFAULTS_PATH)));
      return ConfigLoader.build(defaults, overrides, env, List.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
