package io.wabot.config;

import java.util.Locale;

/** Recognises settings that hold secrets by their names, for the ones no {@link EnvBinding} marks. */
final class SecretNames {

  private SecretNames() {
  }

  static boolean looksSecret(String path) {
    String last = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return last.contains("token") || last.contains("secret") || last.contains("password")
        || last.contains("apikey") || last.endsWith("url") && last.contains("heartbeat");
  }

  private static final java.util.regex.Pattern USER_INFO = java.util.regex.Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^@/]*@");

  /** Hides the user and password of a URL such as {@code redis://:pw@host:6379}; other text is returned as is. */
  static String redactUserInfo(String value) {
    return USER_INFO.matcher(value).replaceFirst("$1****@");
  }

  static boolean isSecret(String path) {
    return EnvBindings.forPath(path).map(EnvBinding::secret).orElse(false) || looksSecret(path);
  }
}
