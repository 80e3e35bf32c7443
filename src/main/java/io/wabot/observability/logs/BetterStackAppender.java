package io.wabot.observability.logs;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Marker;

/**
 * The logback side of Better Stack shipping: encodes each event to JSON (by default the same
 * {@link JsonLogEncoder} shape as stdout), caps its size and hands it to the {@link LogBuffer}, then
 * returns. It never does I/O and never waits for Better Stack; {@code LogShipperVerticle} sends the
 * batches. When shipping is off the event is not even encoded.
 *
 * <pre>{@code
 * <appender name="BETTERSTACK" class="io.wabot.observability.logs.BetterStackAppender">
 *   <encoder class="io.wabot.observability.logs.JsonLogEncoder"/>
 * </appender>
 * }</pre>
 *
 * <p>Events marked {@link LogMarkers#LOCAL_ONLY} stay on stdout. Alerts and lifecycle events go to the
 * buffer's priority lane ({@link LogLanes}).
 */
public final class BetterStackAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  private Encoder<ILoggingEvent> encoder;
  private LogBuffer buffer = LogBuffer.shared();

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  /** The buffer to fill; the process-wide {@link LogBuffer#shared()} unless a test gives its own. */
  public void setBuffer(LogBuffer buffer) {
    this.buffer = buffer;
  }

  @Override
  public void start() {
    if (encoder == null) {
      JsonLogEncoder json = new JsonLogEncoder();
      json.setContext(getContext());
      encoder = json;
    }
    if (!encoder.isStarted()) {
      encoder.start();
    }
    super.start();
  }

  @Override
  public void stop() {
    super.stop();
    encoder.stop();
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (!buffer.accepting() || isLocalOnly(event)) {
      return;
    }
    try {
      buffer.offer(EventSizeCap.fit(withoutLineEnd(encoder.encode(event)), buffer.maxEventBytes()), LogLanes.isPriority(event));
    } catch (RuntimeException e) {
      // logback's status list, not a log event: a broken event must not produce more events
      addError("Could not encode a log event for Better Stack", e);
    }
  }

  private static boolean isLocalOnly(ILoggingEvent event) {
    List<Marker> markers = event.getMarkerList();
    if (markers == null) {
      return false;
    }
    for (Marker marker : markers) {
      if (marker.contains(LogMarkers.LOCAL_ONLY)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] withoutLineEnd(byte[] encoded) {
    int end = encoded.length;
    while (end > 0 && (encoded[end - 1] == '\n' || encoded[end - 1] == '\r')) {
      end--;
    }
    return end == encoded.length ? encoded : Arrays.copyOf(encoded, end);
  }
}
