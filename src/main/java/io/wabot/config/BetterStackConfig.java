package io.wabot.config;

import java.time.Duration;

/**
 * Better Stack: log shipping (off when no source token is set) and the optional Uptime heartbeat.
 *
 * @param sourceToken         the Logs source token, or null: then nothing is shipped or buffered
 * @param ingestUrl           the source's ingesting host as a URL
 * @param batchSize           most events in one request
 * @param batchBytes          most uncompressed JSON bytes in one request
 * @param flushInterval       longest an event waits before a partial batch is sent
 * @param bufferEvents        most events waiting in memory; when full the oldest are dropped
 * @param bufferBytes         most bytes waiting in memory; when full the oldest are dropped
 * @param maxEventBytes       largest single event; longer fields of a larger one are truncated
 * @param requestTimeout      longest one ingestion request may take
 * @param retryInitialBackoff wait before the first retry of a batch (doubled per attempt, with jitter)
 * @param retryMaxBackoff     longest wait between two attempts
 * @param maxAttempts         attempts per batch before it is dropped (network errors, 5xx, 429)
 * @param dropWarningInterval how often dropped events are reported in a warning
 * @param heartbeatUrl        a Better Stack Uptime heartbeat URL pinged while healthy, or null
 * @param heartbeatInterval   how often the heartbeat is pinged
 */
public record BetterStackConfig(
    Secret sourceToken,
    String ingestUrl,
    int batchSize,
    long batchBytes,
    Duration flushInterval,
    int bufferEvents,
    long bufferBytes,
    long maxEventBytes,
    Duration requestTimeout,
    Duration retryInitialBackoff,
    Duration retryMaxBackoff,
    int maxAttempts,
    Duration dropWarningInterval,
    Secret heartbeatUrl,
    Duration heartbeatInterval) {

  private static final long KIB = 1024;
  private static final long MIB = 1024 * KIB;

  static BetterStackConfig from(ConfigReader r) {
    String heartbeat = r.optionalHttpUrl("betterstack.heartbeatUrl", "https://uptime.betterstack.com/api/v1/heartbeat/<token>");
    BetterStackConfig config = new BetterStackConfig(
        r.optionalSecret("betterstack.sourceToken"),
        r.httpUrl("betterstack.ingestUrl", "https://in.logs.betterstack.com"),
        r.integer("betterstack.batchSize", 1, 10_000, 500),
        r.bytes("betterstack.batchBytes", 4 * KIB, 8 * MIB, "1MiB"),
        r.duration("betterstack.flushInterval", Duration.ofMillis(50), Duration.ofMinutes(1), "1s"),
        r.integer("betterstack.bufferEvents", 1, 1_000_000, 10_000),
        r.bytes("betterstack.bufferBytes", 16 * KIB, 512 * MIB, "8MiB"),
        r.bytes("betterstack.maxEventSize", 1 * KIB, MIB, "64KiB"),
        r.duration("betterstack.requestTimeout", Duration.ofMillis(100), Duration.ofMinutes(2), "10s"),
        r.duration("betterstack.retryInitialBackoff", Duration.ofMillis(10), Duration.ofMinutes(1), "500ms"),
        r.duration("betterstack.retryMaxBackoff", Duration.ofMillis(10), Duration.ofMinutes(30), "30s"),
        r.integer("betterstack.maxAttempts", 1, 1_000, 10),
        r.duration("betterstack.dropWarningInterval", Duration.ofMillis(100), Duration.ofHours(1), "1m"),
        heartbeat == null ? null : new Secret(heartbeat),
        r.duration("betterstack.heartbeatInterval", Duration.ofMillis(100), Duration.ofHours(1), "30s"));
    config.crossCheck(r);
    return config;
  }

  private void crossCheck(ConfigReader r) {
    if (maxEventBytes > batchBytes) {
      r.problem("betterstack.maxEventSize", "must not be larger than betterstack.batchBytes (" + batchBytes
          + " bytes), or a single event could never be sent", "\"64KiB\"");
    }
    if (batchBytes > bufferBytes) {
      r.problem("betterstack.bufferBytes", "must be at least betterstack.batchBytes (" + batchBytes + " bytes)", "\"8MiB\"");
    }
    if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
      r.problem("betterstack.retryMaxBackoff", "must not be shorter than betterstack.retryInitialBackoff", "\"30s\"");
    }
  }

  public boolean enabled() {
    return sourceToken != null;
  }

  public boolean heartbeatEnabled() {
    return heartbeatUrl != null;
  }
}
