package io.wabot.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.common.Mask;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decides how a setting's value may be shown in logs and error messages: secrets masked, phone numbers
 * masked, the path of capability URLs (webhooks whose path is the credential, heartbeat URLs) hidden,
 * and passwords inside URLs hidden. Names decide where no {@link EnvBinding} marks a secret.
 */
final class SecretNames {

  private static final Pattern USER_INFO = Pattern.compile("(^|,\\s*)([a-zA-Z][a-zA-Z0-9+.-]*://)[^@/,]*@");
  private static final Pattern SCHEME_AND_HOST = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]+)[/?#].*$");

  private SecretNames() {
  }

  private static String leaf(String path) {
    return path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
  }

  static boolean looksSecret(String path) {
    String last = leaf(path);
    return last.endsWith("token") || last.contains("secret") || last.contains("password") || last.contains("apikey");
  }

  static boolean isSecret(String path) {
    return EnvBindings.forPath(path).map(EnvBinding::secret).orElse(false) || looksSecret(path);
  }

  /** A WhatsApp number, such as the agent's: personal data. */
  static boolean isPhoneNumber(String path) {
    return leaf(path).endsWith("number") && !leaf(path).endsWith("idnumber");
  }

  /**
   * A URL whose path or query may be the credential: Slack, Zapier and Make hooks, Better Stack
   * heartbeats. Only its scheme and host are shown.
   */
  static boolean isCapabilityUrl(String path) {
    String last = leaf(path);
    return last.endsWith("url") && (last.contains("webhook") || last.contains("heartbeat"));
  }

  /**
   * Hides the user and password of a URL such as {@code redis://:pw@host:6379}, or of each URL of a
   * comma-separated list (Redis sentinels); other text is returned as is.
   */
  static String redactUserInfo(String value) {
    return USER_INFO.matcher(value).replaceAll("$1$2****@");
  }

  /**
   * The value as it may appear in a log line or an error message. A list or an object (the entries of
   * {@code whatsapp.numbers}, each with its own token, secrets and agent number) is shown as JSON with each field
   * judged by its own path, so that a secret inside it is masked as it would be on its own.
   */
  static String display(String path, Object value) {
    if (value instanceof JsonObject || value instanceof JsonArray || value instanceof Map || value instanceof List) {
      return String.valueOf(masked(path, value));
    }
    return leafDisplay(path, value);
  }

  private static Object masked(String path, Object value) {
    if (value instanceof Map<?, ?> map) {
      JsonObject out = new JsonObject();
      map.forEach((key, field) -> out.put(String.valueOf(key), masked(path + "." + key, field)));
      return out;
    }
    if (value instanceof JsonObject object) {
      return masked(path, object.getMap());
    }
    if (value instanceof JsonArray array) {
      return masked(path, array.getList());
    }
    if (value instanceof List<?> list) {
      JsonArray out = new JsonArray();
      list.forEach(item -> out.add(masked(path, item))); // an entry's fields are named after the list's
      return out;
    }
    boolean plain = value == null || (value instanceof Number || value instanceof Boolean) && !isSecret(path) && !isPhoneNumber(path);
    return plain ? value : leafDisplay(path, value);
  }

  private static String leafDisplay(String path, Object value) {
    String text = String.valueOf(value);
    if (isSecret(path)) {
      return text.isBlank() ? "(unset)" : Secret.mask(text);
    }
    if (isPhoneNumber(path)) {
      return Mask.phone(text);
    }
    String safe = redactUserInfo(text);
    return isCapabilityUrl(path) ? SCHEME_AND_HOST.matcher(safe).replaceFirst("$1/…") : safe;
  }
}
