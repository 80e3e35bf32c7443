package io.wabot.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests refused because of what a stranger sent (a wrong signature or token, a body too large or
 * too slow, a full server), counted rather than logged one by one: a flood of junk must not become a
 * flood of log lines, Better Stack quota and dropped events.
 *
 * <p>Every refusal increments {@code wabot_http_rejected_total{endpoint, reason}}. The first refusal of
 * a kind after a quiet interval is logged at once ({@code http.rejected}); the ones that follow within
 * the interval are summed and logged as one {@code http.rejected} event with their {@code count} when it
 * ends. So each kind costs at most two lines per interval, whatever the rate.
 *
 * <p>The events carry the endpoint, the reason and a fixed description: never the request's path,
 * query, headers or address, which may hold a phone number, a token or a guessed secret.
 *
 * <p>Event-loop confined: create one per verticle instance, on its context, and {@link #close} it when
 * the verticle stops.
 */
public final class Rejections implements AutoCloseable {

  public static final String METRIC = "wabot.http.rejected";

  private static final Logger LOG = LoggerFactory.getLogger(Rejections.class);

  /** One kind of refusal (endpoint and reason) and what is waiting to be reported. */
  private static final class Kind {
    final Counter counter;
    final String detail;
    long unreported;
    long lastLoggedNanos;

    Kind(Counter counter, String detail, long lastLoggedNanos) {
      this.counter = counter;
      this.detail = detail;
      this.lastLoggedNanos = lastLoggedNanos;
    }
  }

  private final Vertx vertx;
  private final MeterRegistry registry;
  private final long intervalNanos;
  private final Map<String, Kind> kinds = new LinkedHashMap<>();
  private final long timer;

  public Rejections(Vertx vertx, MeterRegistry registry, Duration interval) {
    this.vertx = vertx;
    this.registry = registry;
    this.intervalNanos = interval.toNanos();
    this.timer = vertx.setPeriodic(interval.toMillis(), id -> report());
  }

  /**
   * Counts one refusal.
   *
   * @param endpoint what was asked for: {@code webhook}, {@code verify}, {@code admin}, {@code metrics}, {@code server}
   * @param reason   a fixed snake-case reason (a metric label: never data from the request)
   * @param detail   a fixed description of the refusal for the log, the same for every request of this kind
   */
  public void rejected(String endpoint, String reason, String detail) {
    long now = System.nanoTime();
    Kind kind = kinds.computeIfAbsent(endpoint + " " + reason, key -> new Kind(
        Counter.builder(METRIC).description("Requests refused, by endpoint and reason")
            .tag("endpoint", endpoint).tag("reason", reason).register(registry),
        detail, now - intervalNanos));
    kind.counter.increment();
    if (now - kind.lastLoggedNanos >= intervalNanos && kind.unreported == 0) {
      log(endpoint, reason, kind.detail, 1, "Refused a request to {}: {}");
      kind.lastLoggedNanos = now;
    } else {
      kind.unreported++;
    }
  }

  /** Logs the refusals of each kind not reported yet; runs once per interval. */
  void report() {
    long now = System.nanoTime();
    kinds.forEach((key, kind) -> {
      if (kind.unreported > 0) {
        String[] parts = key.split(" ", 2);
        log(parts[0], parts[1], kind.detail, kind.unreported,
            "Refused " + kind.unreported + " more request(s) to {} since the last report: {}");
        kind.unreported = 0;
        kind.lastLoggedNanos = now;
      }
    });
  }

  private static void log(String endpoint, String reason, String detail, long count, String message) {
    Events.warn(LOG, "http.rejected").addKeyValue("endpoint", endpoint).addKeyValue("reason", reason)
        .addKeyValue("count", count).log(message, endpoint, detail);
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
    report();
  }
}
