package io.wabot.config;

/**
 * A value that must never be printed: its {@code toString()} shows only the last four characters
 * of long values, so a stray log call or exception message cannot leak it.
 */
public record Secret(String value) {

  public Secret {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("a secret cannot be blank");
    }
  }

  public static String mask(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    return value.length() >= 12 ? "****" + value.substring(value.length() - 4) : "****";
  }

  public String masked() {
    return mask(value);
  }

  @Override
  public String toString() {
    return masked();
  }
}
