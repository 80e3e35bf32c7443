package io.wabot.observability;

import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Structured log events: each carries an {@code event} name (e.g. {@code inbound.queued}) that
 * dashboards and alerts query, plus the message's {@link Correlation}.
 *
 * <pre>{@code
 * Events.info(LOG, "inbound.queued", correlation).addKeyValue("duration_ms", ms).log("Inbound message queued");
 * }</pre>
 */
public final class Events {

  private Events() {
  }

  public static LoggingEventBuilder info(Logger log, String event, Correlation correlation) {
    return correlation.on(log.atInfo().addKeyValue("event", event));
  }

  public static LoggingEventBuilder warn(Logger log, String event, Correlation correlation) {
    return correlation.on(log.atWarn().addKeyValue("event", event));
  }

  public static LoggingEventBuilder error(Logger log, String event, Correlation correlation) {
    return correlation.on(log.atError().addKeyValue("event", event));
  }

  public static LoggingEventBuilder debug(Logger log, String event, Correlation correlation) {
    return correlation.on(log.atDebug().addKeyValue("event", event));
  }

  public static LoggingEventBuilder info(Logger log, String event) {
    return info(log, event, Correlation.NONE);
  }

  public static LoggingEventBuilder warn(Logger log, String event) {
    return warn(log, event, Correlation.NONE);
  }

  public static LoggingEventBuilder error(Logger log, String event) {
    return error(log, event, Correlation.NONE);
  }

  public static LoggingEventBuilder debug(Logger log, String event) {
    return debug(log, event, Correlation.NONE);
  }
}
