package io.wabot.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Objects;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** Records what one logger logs, for assertions on structured events. Close to stop recording. */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(String loggerName) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    logger = context.getLogger(loggerName);
    appender.setContext(context);
    appender.start();
    logger.addAppender(appender);
  }

  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  public static LogCapture of(Class<?> type) {
    return new LogCapture(type.getName());
  }

  public List<ILoggingEvent> events() {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  /** Events whose {@code event} key-value is {@code name}. */
  public List<ILoggingEvent> named(String name) {
    return events().stream().filter(e -> name.equals(value(e, "event"))).toList();
  }

  /** The value of one key-value pair of an event, or null. */
  public static Object value(ILoggingEvent event, String key) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs == null) {
      return null;
    }
    return pairs.stream().filter(p -> Objects.equals(p.key, key)).map(p -> p.value).findFirst().orElse(null);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
