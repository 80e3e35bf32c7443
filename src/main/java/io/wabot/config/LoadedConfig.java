package io.wabot.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** A validated configuration and the layers it was built from, for the start-up settings report. */
public record LoadedConfig(AppConfig config, LayeredConfig layers) {

  /**
   * Every setting, its effective value and where it came from, e.g. {@code "****ab12 (env)"}.
   * Secrets and phone numbers are masked, and passwords inside URLs and the paths of webhook URLs
   * hidden, so this is safe to log.
   */
  public Map<String, String> describeSettings() {
    Map<String, String> out = new LinkedHashMap<>();
    layers.leafSources().forEach((path, source) -> {
      Object value = layers.get(path);
      String shown = value == null ? "(unset)" : SecretNames.display(path, value);
      out.put(path, shown + " (" + source.label() + ")");
    });
    return out;
  }
}
