package io.wabot.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Records what one logger logs, for assertions on structured events, and lets a test wait for an event
 * ({@link #await}): the proof that the code under test reached the step that logs it. Closing stops the
 * recording and puts back the logger's level, should the test have changed it.
 */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final Level levelBefore;
  private final WaitableList<ILoggingEvent> events = new WaitableList<>();
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      events.add(event);
    }
  };

  private LogCapture(String loggerName) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    logger = context.getLogger(loggerName);
    levelBefore = logger.getLevel();
    appender.setContext(context);
    appender.start();
    logger.addAppender(appender);
  }

  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  public static LogCapture of(Class<?> type) {
    return of(type.getName());
  }

  public List<ILoggingEvent> events() {
    return events.snapshot();
  }

  /** Events whose {@code event} key-value is {@code name}. */
  public List<ILoggingEvent> named(String name) {
    return events().stream().filter(e -> name.equals(value(e, "event"))).toList();
  }

  /** Waits for the first event named {@code name}. */
  public ILoggingEvent await(String name) {
    return await(name, 1).get(0);
  }

  /** Waits until {@code count} events named {@code name} were logged; returns them. */
  public List<ILoggingEvent> await(String name, int count) {
    return events.awaitCount(e -> name.equals(value(e, "event")), count);
  }

  /** Waits for the first event that matches, e.g. a plain message without an {@code event} name. */
  public ILoggingEvent awaitMatching(Predicate<ILoggingEvent> which) {
    return events.await(which);
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
    logger.setLevel(levelBefore);
  }
}
