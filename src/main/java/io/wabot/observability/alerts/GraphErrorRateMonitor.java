package io.wabot.observability.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.wabot.config.ConfigReader;
import io.wabot.observability.Alerts;
import io.wabot.observability.MetricNames;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The share of failed Graph API requests over a sliding window, from the {@code wabot.graph.requests}
 * counter's {@code outcome} tag. Failed means retried (5xx, timeouts), paused (throughput limit) or
 * dead-lettered; a delayed pair-rate send or a template fallback is the API working as designed.
 */
final class GraphErrorRateMonitor implements Monitor {

  static final Set<String> FAILED_OUTCOMES = Set.of("retry", "pause", "dead_letter");

  private final Supplier<MeterRegistry> registry;
  private final Duration window;
  private final double threshold;
  private final int minRequests;
  private final SlidingWindow requests;
  private final SlidingWindow failures;

  GraphErrorRateMonitor(Supplier<MeterRegistry> registry, Duration window, double threshold, int minRequests) {
    this.registry = registry;
    this.window = window;
    this.threshold = threshold;
    this.minRequests = minRequests;
    this.requests = new SlidingWindow(window.toMillis());
    this.failures = new SlidingWindow(window.toMillis());
  }

  @Override
  public String alert() {
    return Alerts.GRAPH_ERROR_RATE;
  }

  @Override
  public Check check(long nowMs) {
    MeterRegistry meters = registry.get();
    var total = MeterReadings.sum(meters, MetricNames.GRAPH_REQUESTS);
    if (total.isEmpty()) {
      return Check.UNKNOWN;
    }
    double failed = MeterReadings.sum(meters, MetricNames.GRAPH_REQUESTS,
        id -> FAILED_OUTCOMES.contains(id.getTag("outcome"))).orElse(0);
    requests.add(nowMs, total.getAsDouble());
    failures.add(nowMs, failed);
    double sent = requests.increase();
    double errors = failures.increase();
    String span = ConfigReader.format(window);
    if (sent == 0) {
      return new Check.Clear("no Graph API requests in the last " + span);
    }
    if (sent < minRequests) {
      return Check.UNKNOWN;
    }
    double rate = errors / sent;
    String summary = String.format(Locale.ROOT, "%.0f%% of Graph API requests failed in the last %s (%d of %d)",
        rate * 100, span, (long) errors, (long) sent);
    if (rate >= threshold) {
      return new Check.Firing(summary + String.format(Locale.ROOT, "; the threshold is %.0f%%", threshold * 100),
          new JsonObject().put("error_rate", Math.round(rate * 1000) / 1000.0).put("failed", (long) errors)
              .put("requests", (long) sent).put("window", span));
    }
    return new Check.Clear(summary);
  }
}
