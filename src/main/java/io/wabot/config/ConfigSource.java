package io.wabot.config;

/** Where a setting's effective value came from, lowest precedence first. */
public enum ConfigSource {
  DEFAULT("default"),
  FILE("file"),
  ENV("env");

  private final String label;

  ConfigSource(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
