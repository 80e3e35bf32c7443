package io.wabot.config;

/**
 * The admin endpoints ({@code /admin/...}); off when no token is set.
 *
 * @param token the bearer token callers must present, or null
 */
public record AdminConfig(Secret token) {

  static final int MIN_TOKEN_LENGTH = 16;

  static AdminConfig from(ConfigReader r) {
    Secret token = r.optionalSecret("admin.token");
    if (token != null && token.value().length() < MIN_TOKEN_LENGTH) {
      r.problem("admin.token", "must be at least " + MIN_TOKEN_LENGTH + " characters long", "");
      return new AdminConfig(null);
    }
    return new AdminConfig(token);
  }

  public boolean enabled() {
    return token != null;
  }
}
