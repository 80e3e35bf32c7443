package io.wabot.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.wabot.observability.Events;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Counts refused webhooks and logs them at most once per interval per reason, with how many were
 * refused meanwhile: a flood of junk requests must not become a flood of log lines (and of Better
 * Stack quota). The {@code wabot.webhook.rejected} counter has every one.
 */
public final class RejectionLog {

  static final String METRIC = "wabot.webhook.rejected";

  private final String metric;
  private final String event;
  private final Logger log;
  private final MeterRegistry registry;
  private final long intervalNanos;
  private final Map<String, long[]> byReason = new HashMap<>();

  RejectionLog(Logger log, MeterRegistry registry, long interval, TimeUnit unit) {
    this(METRIC, "webhook.rejected", log, registry, interval, unit);
  }

  /** The same for another endpoint: {@code metric} counts every refusal by reason, {@code event} names the log event. */
  public RejectionLog(String metric, String event, Logger log, MeterRegistry registry, long interval, TimeUnit unit) {
    this.metric = metric;
    this.event = event;
    this.log = log;
    this.registry = registry;
    this.intervalNanos = unit.toNanos(interval);
  }

  /** Records one refusal; {@code detail} is logged with the first of each interval. Event-loop confined. */
  public void rejected(String reason, String detail, String remote) {
    registry.counter(metric, "reason", reason).increment();
    long now = System.nanoTime();
    long[] state = byReason.computeIfAbsent(reason, r -> new long[] {now - intervalNanos, 0});
    if (now - state[0] >= intervalNanos) {
      Events.warn(log, event).addKeyValue("reason", reason).addKeyValue("remote", remote)
          .addKeyValue("suppressed", state[1])
          .log("Request refused: {}{}", detail, state[1] > 0 ? " (" + state[1] + " more refused since the last report)" : "");
      state[0] = now;
      state[1] = 0;
    } else {
      state[1]++;
    }
  }
}
