package io.wabot.observability.alerts;

import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** A level that must stay below a threshold (queue lag, RSS): fires while it is above. */
final class ThresholdMonitor implements Monitor {

  /** A level and where it was measured (a queue name), or null. */
  record Level(double value, String where) {
  }

  private final String alert;
  private final Supplier<Optional<Level>> reading;
  private final double threshold;
  private final Function<Level, String> describe;
  private final String detailName;

  /**
   * @param describe   a sentence about a reading, e.g. "the outbound queue's oldest job waits 42 s"
   * @param detailName the field that carries {@link Level#where()} in the alert event
   */
  ThresholdMonitor(String alert, Supplier<Optional<Level>> reading, double threshold, Function<Level, String> describe,
      String detailName) {
    this.alert = alert;
    this.reading = reading;
    this.threshold = threshold;
    this.describe = describe;
    this.detailName = detailName;
  }

  @Override
  public String alert() {
    return alert;
  }

  @Override
  public Check check(long nowMs) {
    Optional<Level> level = reading.get();
    if (level.isEmpty()) {
      return Check.UNKNOWN;
    }
    Level l = level.get();
    if (l.value() > threshold) {
      JsonObject details = new JsonObject().put("value", (long) l.value()).put("threshold", (long) threshold);
      if (l.where() != null) {
        details.put(detailName, l.where());
      }
      return new Check.Firing(describe.apply(l), details);
    }
    return new Check.Clear(describe.apply(l));
  }
}
