package io.wabot.observability.logs;

import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;

/**
 * The one JSON shape of a log event, used for stdout and for Better Stack alike: {@code dt} (RFC 3339,
 * UTC), {@code level}, {@code logger}, {@code thread}, {@code message}, and every SLF4J key-value pair
 * as a top-level field ({@code event}, {@code correlation_id}, {@code customer}, {@code wamid},
 * {@code duration_ms}...). Better Stack reads {@code dt} as the event time.
 */
public class JsonLogEncoder extends LogstashEncoder {

  public JsonLogEncoder() {
    LogstashFieldNames names = new LogstashFieldNames();
    names.setTimestamp("dt");
    names.setLogger("logger");
    names.setThread("thread");
    names.setVersion("[ignore]");
    names.setLevelValue("[ignore]");
    setFieldNames(names);
    setTimestampPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX");
    setTimeZone("UTC");
    setShortenedLoggerNameLength(36);
  }
}
