package io.wabot.config;

import java.time.Duration;

/**
 * How the process runs.
 *
 * @param sandbox                       talk to the embedded Graph API simulator instead of Meta
 * @param sandboxAllowsLiveCredentials  let sandbox mode start although live Meta credentials are set
 * @param shutdownTimeout               how long SIGTERM may take before the process exits anyway
 */
public record ModeConfig(boolean sandbox, boolean sandboxAllowsLiveCredentials, Duration shutdownTimeout) {

  static ModeConfig from(ConfigReader r) {
    return new ModeConfig(
        r.bool("sandbox.enabled", false),
        r.bool("sandbox.allowLiveCredentials", false),
        r.duration("shutdown.timeout", Duration.ofSeconds(1), Duration.ofMinutes(5), "10s"));
  }

  public String name() {
    return sandbox ? "sandbox" : "live";
  }
}
