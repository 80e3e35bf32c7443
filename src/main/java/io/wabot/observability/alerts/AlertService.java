package io.wabot.observability.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.observability.Alerts;
import io.wabot.observability.Events;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Turns the stream of {@link Alerts} messages into few log events: per condition, one error event
 * ({@code event=alert.fired}, {@code alert=<condition>}) when it starts, a reminder at most once per
 * interval while it lasts, and one info event ({@code event=alert.resolved}, {@code resolved=true})
 * when it clears. A thousand failing sends make one alert, not a thousand.
 *
 * <p>A condition that clears and comes back within the interval (a flapping breaker) is not logged
 * again at once: it is logged when the interval since its last alert is over, if it still holds then.
 * A resolve for a condition that was never logged as firing is ignored.
 */
public final class AlertService {

  private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);
  private static final Set<String> RESERVED = Set.of("alert", "resolved", "message");

  private final long intervalMs;
  private final LongSupplier clockMs;
  private final Map<String, Condition> conditions = new HashMap<>();

  /** One condition's state: what is true now, and what the last log event told Better Stack. */
  private static final class Condition {
    boolean active;
    boolean announced;
    boolean everAnnounced;
    long lastAnnouncedAt;
    long since;
    int occurrences;
    String message;
    JsonObject details;
  }

  public AlertService(Duration interval, LongSupplier clockMs) {
    this.intervalMs = interval.toMillis();
    this.clockMs = clockMs;
  }

  /** Handles one message of the {@link Alerts} contract. */
  public void handle(JsonObject body) {
    String alert = body.getString("alert");
    if (alert == null || alert.isBlank()) {
      return;
    }
    // One business number's condition is held apart from the same condition on another number.
    String number = body.getString(Alerts.NUMBER);
    String condition = number == null ? alert : alert + "/" + number;
    if (body.getBoolean("resolved", false)) {
      resolve(condition, alert, number, body.getString("message", alert + " cleared"));
    } else {
      fire(condition, body.getString("message", alert), body);
    }
  }

  private void fire(String condition, String message, JsonObject details) {
    long now = clockMs.getAsLong();
    Condition c = conditions.computeIfAbsent(condition, k -> new Condition());
    if (!c.active) {
      c.active = true;
      c.since = now;
    }
    c.occurrences++;
    c.message = message;
    c.details = details;
    announceIfDue(c, now);
  }

  private void resolve(String condition, String alert, String number, String message) {
    Condition c = conditions.get(condition);
    if (c == null || !c.active) {
      return;
    }
    c.active = false;
    c.occurrences = 0;
    if (c.announced) {
      c.announced = false;
      Events.info(LOG, "alert.resolved")
          .addKeyValue("alert", alert)
          .addKeyValue(Alerts.NUMBER, number)
          .addKeyValue("resolved", true)
          .addKeyValue("duration_ms", clockMs.getAsLong() - c.since)
          .log("Resolved {}: {}", alert, message);
    }
  }

  /** Announces conditions that came back within their interval and still hold; call about once a second. */
  public void tick() {
    long now = clockMs.getAsLong();
    conditions.forEach((condition, c) -> {
      if (c.active && !c.announced) {
        announceIfDue(c, now);
      }
    });
  }

  private void announceIfDue(Condition c, long now) {
    boolean due = !c.everAnnounced || now - c.lastAnnouncedAt >= intervalMs;
    if (!due) {
      return;
    }
    String alert = c.details.getString("alert");
    LoggingEventBuilder event = Events.error(LOG, "alert.fired")
        .addKeyValue("alert", alert)
        .addKeyValue("resolved", false)
        .addKeyValue("occurrences", c.occurrences)
        .addKeyValue("active_ms", now - c.since);
    event = withDetails(event, c.details);
    event.log("{} {}: {}", c.announced ? "Still alerting" : "ALERT", alert, c.message);
    c.announced = true;
    c.everAnnounced = true;
    c.lastAnnouncedAt = now;
    c.occurrences = 0;
  }

  private static LoggingEventBuilder withDetails(LoggingEventBuilder event, JsonObject details) {
    if (details == null) {
      return event;
    }
    for (Map.Entry<String, Object> entry : details) {
      if (RESERVED.contains(entry.getKey()) || entry.getValue() == null) {
        continue;
      }
      Object value = entry.getValue();
      event = event.addKeyValue(entry.getKey(),
          value instanceof JsonObject || value instanceof JsonArray ? value.toString() : value);
    }
    return event;
  }

  /** Whether the condition currently holds, as last reported. */
  public boolean isActive(String alert) {
    return conditions.entrySet().stream().anyMatch(e -> e.getValue().active
        && (e.getKey().equals(alert) || e.getKey().startsWith(alert + "/")));
  }
}
