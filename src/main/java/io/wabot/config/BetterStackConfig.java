package io.wabot.config;

/**
 * Better Stack log shipping. Shipping is off when no source token is set.
 *
 * @param sourceToken the Logs source token, or null
 * @param ingestUrl   the source's ingesting host as a URL
 */
public record BetterStackConfig(Secret sourceToken, String ingestUrl) {

  static BetterStackConfig from(ConfigReader r) {
    return new BetterStackConfig(
        r.optionalSecret("betterstack.sourceToken"),
        r.httpUrl("betterstack.ingestUrl", "https://in.logs.betterstack.com"));
  }

  public boolean enabled() {
    return sourceToken != null;
  }
}
