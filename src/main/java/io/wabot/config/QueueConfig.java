package io.wabot.config;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The Redis job queues.
 *
 * @param keyPrefix          prefix of every key; its {@code {hash tag}} keeps all keys in one Redis Cluster slot
 * @param lease              how long a claimed conversation stays with its consumer without a heartbeat;
 *                           a dead consumer's work returns after at most this long
 * @param maxAttempts        claims a job may have before it is dead-lettered
 * @param backoffInitial     first retry delay; doubles with every attempt
 * @param backoffMax         longest retry delay
 * @param backoffJitter      random spread of each delay, 0 to 1 (0.2 = ±20 %)
 * @param inboundDedupWindow how long an inbound message id is remembered (Meta redelivers for days)
 * @param dedupWindow        how long other job ids are remembered
 * @param maxRunTime         longest a handler may take before its job counts as failed
 * @param pollInterval       longest a consumer waits for a wake-up before looking again
 * @param reaperInterval     how often expired leases and due retries are returned to the ready list
 * @param statsInterval      how often queue depth, lag and dead letters are sampled for metrics
 * @param statusRetention    how long delivery statuses of sent messages are kept
 * @param skippedRetention   how long the webhook keeps a message it could not turn into a job, for an operator
 * @param skippedMax         most such messages kept; the oldest go first
 */
public record QueueConfig(
    String keyPrefix,
    Duration lease,
    int maxAttempts,
    Duration backoffInitial,
    Duration backoffMax,
    double backoffJitter,
    Duration inboundDedupWindow,
    Duration dedupWindow,
    Duration maxRunTime,
    Duration pollInterval,
    Duration reaperInterval,
    Duration statsInterval,
    Duration statusRetention,
    Duration skippedRetention,
    int skippedMax) {

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9:_.-]*\\{[A-Za-z0-9:_.-]+\\}[A-Za-z0-9:_.-]*:");

  static QueueConfig from(ConfigReader r) {
    String prefix = r.string("queue.keyPrefix", "\"wabot:{bot}:\"");
    if (prefix != null && !PREFIX.matcher(prefix).matches()) {
      r.problem("queue.keyPrefix", "must contain a {hash tag} and end with ':' so every key of the bot lands in one"
          + " Redis Cluster slot", "\"wabot:{bot}:\"");
    }
    return new QueueConfig(
        prefix,
        r.duration("queue.lease", Duration.ofSeconds(2), Duration.ofHours(1), "30s"),
        r.integer("queue.maxAttempts", 1, 1000, 8),
        r.duration("queue.backoffInitial", Duration.ofMillis(10), Duration.ofHours(1), "1s"),
        r.duration("queue.backoffMax", Duration.ofMillis(10), Duration.ofDays(1), "5m"),
        r.decimal("queue.backoffJitter", 0, 1, 0.2),
        r.duration("queue.inboundDedupWindow", Duration.ofMinutes(1), Duration.ofDays(60), "7d"),
        r.duration("queue.dedupWindow", Duration.ofSeconds(10), Duration.ofDays(60), "1h"),
        r.duration("queue.maxRunTime", Duration.ofSeconds(1), Duration.ofHours(1), "2m"),
        r.duration("queue.pollInterval", Duration.ofMillis(50), Duration.ofMinutes(1), "1s"),
        r.duration("queue.reaperInterval", Duration.ofMillis(50), Duration.ofMinutes(5), "1s"),
        r.duration("queue.statsInterval", Duration.ofMillis(100), Duration.ofMinutes(5), "5s"),
        r.duration("queue.statusRetention", Duration.ofMinutes(1), Duration.ofDays(365), "7d"),
        r.duration("queue.skippedRetention", Duration.ofMinutes(1), Duration.ofDays(365), "7d"),
        r.integer("queue.skippedMax", 1, 1_000_000, 1000));
  }

  /** How often a consumer renews its lease: three times per lease, so one lost heartbeat does no harm. */
  public Duration heartbeatInterval() {
    return lease.dividedBy(3);
  }
}
