package io.wabot.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Where the tests' log goes (logback-test.xml) instead of the console: the lines of the test that
 * runs now, kept until {@link PrintLogsOnFailure} prints them for a test that failed or drops them for
 * one that passed. So a green build is quiet, errors provoked on purpose included, and a red one shows
 * the log of what went wrong. Bounded: the last {@value #MAX_LINES} lines.
 */
public final class TestLogBuffer extends UnsynchronizedAppenderBase<ILoggingEvent> {

  static final int MAX_LINES = 5_000;

  private static final Deque<String> LINES = new ArrayDeque<>();

  private Encoder<ILoggingEvent> encoder;

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("TestLogBuffer needs an <encoder>");
      return;
    }
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    synchronized (LINES) {
      LINES.addLast(line);
      if (LINES.size() > MAX_LINES) {
        LINES.removeFirst();
      }
    }
  }

  /** The lines logged since the last call, which forgets them. */
  static List<String> drain() {
    synchronized (LINES) {
      List<String> lines = List.copyOf(LINES);
      LINES.clear();
      return lines;
    }
  }
}
