package io.wabot.config;

import java.time.Duration;

/**
 * How the process runs.
 *
 * @param sandbox                       talk to the embedded Graph API simulator instead of Meta
 * @param sandboxAllowsLiveCredentials  let sandbox mode start although live Meta credentials are set
 * @param shutdownTimeout               how long SIGTERM may take before the process exits anyway
 * @param eventLoops                    Vert.x event loop threads; the verticles' instances are spread over them
 */
public record ModeConfig(boolean sandbox, boolean sandboxAllowsLiveCredentials, Duration shutdownTimeout, int eventLoops) {

  static ModeConfig from(ConfigReader r) {
    int eventLoops = r.integer("vertx.eventLoops", 0, 256, 0);
    return new ModeConfig(
        r.bool("sandbox.enabled", false),
        r.bool("sandbox.allowLiveCredentials", false),
        r.duration("shutdown.timeout", Duration.ofSeconds(1), Duration.ofMinutes(5), "10s"),
        // 0: one per core. Vert.x's own default is two per core; every message crosses from one verticle
        // to the next through Redis and the event bus, and with more busy threads than cores each hand-over
        // costs a context switch: on 2 cores one loop per core sustained 700 messages/s against 400
        // (docs/performance.md).
        eventLoops == 0 ? Runtime.getRuntime().availableProcessors() : eventLoops);
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
