package io.wabot.config;

import java.time.Duration;

/**
 * Alert conditions and their thresholds (PF-003). Each condition is logged as one error event with an
 * {@code alert} field, repeated at most once per {@link #interval} while it lasts.
 *
 * @param interval          a condition is logged at most once per interval (and reminded once per interval)
 * @param checkInterval     how often the metric thresholds below are evaluated
 * @param window            sliding window for the Graph API error rate and dead-letter growth
 * @param graphErrorRate    fraction (0..1) of Graph API requests that failed (retry, pause, dead letter) to alert on
 * @param graphMinRequests  fewest requests in the window before the error rate counts
 * @param deadLetterGrowth  new dead letters within the window that raise an alert
 * @param queueLag          age of the oldest unclaimed job that raises an alert
 * @param redisPingInterval how often Redis is pinged by the alert monitor (and the heartbeat's health)
 * @param redisFailedPings  consecutive failed pings before Redis counts as unavailable
 * @param rssThreshold      resident set size of the process that raises an alert (PF-002)
 * @param logDropThreshold  log events dropped within the window that raise an alert
 */
public record AlertsConfig(
    Duration interval,
    Duration checkInterval,
    Duration window,
    double graphErrorRate,
    int graphMinRequests,
    int deadLetterGrowth,
    Duration queueLag,
    Duration redisPingInterval,
    int redisFailedPings,
    long rssThreshold,
    int logDropThreshold) {

  static AlertsConfig from(ConfigReader r) {
    return new AlertsConfig(
        r.duration("alerts.interval", Duration.ofMillis(100), Duration.ofDays(1), "5m"),
        r.duration("alerts.checkInterval", Duration.ofMillis(50), Duration.ofHours(1), "15s"),
        r.duration("alerts.window", Duration.ofMillis(100), Duration.ofDays(1), "5m"),
        r.decimal("alerts.graphErrorRate", 0.0, 1.0, 0.2),
        r.integer("alerts.graphMinRequests", 1, 1_000_000, 20),
        r.integer("alerts.deadLetterGrowth", 1, 1_000_000, 1),
        r.duration("alerts.queueLag", Duration.ofMillis(100), Duration.ofDays(1), "30s"),
        r.duration("alerts.redisPingInterval", Duration.ofMillis(50), Duration.ofMinutes(10), "5s"),
        r.integer("alerts.redisFailedPings", 1, 100, 2),
        r.bytes("alerts.rssThreshold", 1024L * 1024, 1024L * 1024 * 1024 * 1024, "250MB"),
        r.integer("alerts.logDropThreshold", 1, 1_000_000_000, 1));
  }
}
