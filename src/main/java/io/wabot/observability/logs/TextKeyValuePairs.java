package io.wabot.observability.logs;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * {@code %kvpText} in the text log format ({@code LOG_FORMAT=text}, logback-text.xml): each key-value
 * pair as {@code key="value"}, like logback's {@code %kvp}, except that a structured value (a map or
 * a collection, such as the settings of {@code config.loaded}) shows only its size unless its logger
 * logs at DEBUG. A terminal gets one short line; the JSON format, and DEBUG, get the whole value.
 */
public final class TextKeyValuePairs extends ClassicConverter {

  @Override
  public String convert(ILoggingEvent event) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs == null || pairs.isEmpty()) {
      return "";
    }
    boolean debug = LoggerFactory.getLogger(event.getLoggerName()).isDebugEnabled();
    StringJoiner line = new StringJoiner(" ");
    for (KeyValuePair pair : pairs) {
      line.add(pair.key + "=\"" + shown(pair.value, debug) + "\"");
    }
    return line.toString();
  }

  static String shown(Object value, boolean debug) {
    if (!debug && value instanceof Map<?, ?> map) {
      return summary(map.size());
    }
    if (!debug && value instanceof Collection<?> collection) {
      return summary(collection.size());
    }
    return String.valueOf(value);
  }

  private static String summary(int size) {
    return size + " entries; LOG_LEVEL=DEBUG or LOG_FORMAT=json lists them";
  }
}
