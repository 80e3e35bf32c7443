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

  /**
   * The share of the shutdown budget each stage may take, as the stages run one after another: the
   * HTTP server lets requests in flight finish, each queue consumer lets its jobs finish (then hands
   * the rest back), and the log shipper flushes last with what is left.
   */
  public Duration httpDrainBudget() {
    return shutdownTimeout.multipliedBy(15).dividedBy(100);
  }

  /** See {@link #httpDrainBudget()}: each queue consumer's share. */
  public Duration consumerDrainBudget() {
    return shutdownTimeout.dividedBy(5);
  }

  public String name() {
    return sandbox ? "sandbox" : "live";
  }
}
