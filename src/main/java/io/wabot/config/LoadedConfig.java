package io.wabot.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** A validated configuration and the layers it was built from, for the start-up settings report. */
public record LoadedConfig(AppConfig config, LayeredConfig layers) {

  /**
   * Every setting, its effective value and where it came from, e.g. {@code "****ab12 (env)"}.
   * Secrets are masked and passwords inside URLs hidden, so this is safe to log.
   */
  public Map<String, String> describeSettings() {
    Map<String, String> out = new LinkedHashMap<>();
    layers.leafSources().forEach((path, source) -> {
      Object value = layers.get(path);
      String shown;
      if (value == null) {
        shown = "(unset)";
      } else if (SecretNames.isSecret(path)) {
        shown = String.valueOf(value).isBlank() ? "(unset)" : Secret.mask(String.valueOf(value));
      } else {
        shown = SecretNames.redactUserInfo(String.valueOf(value));
      }
      out.put(path, shown + " (" + source.label() + ")");
    });
    return out;
  }
}
