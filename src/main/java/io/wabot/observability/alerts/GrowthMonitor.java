package io.wabot.observability.alerts;

import io.vertx.core.json.JsonObject;
import io.wabot.config.ConfigReader;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/** A count that should not rise (dead letters, dropped log events): fires when it rose by the threshold within the window. */
final class GrowthMonitor implements Monitor {

  private final String alert;
  private final String what;
  private final Supplier<OptionalDouble> reading;
  private final Duration window;
  private final long threshold;
  private final SlidingWindow samples;

  /**
   * @param what    plural noun for the messages, e.g. "dead letters"
   * @param reading the current count; empty when the meter does not exist (yet)
   */
  GrowthMonitor(String alert, String what, Supplier<OptionalDouble> reading, Duration window, long threshold) {
    this.alert = alert;
    this.what = what;
    this.reading = reading;
    this.window = window;
    this.threshold = threshold;
    this.samples = new SlidingWindow(window.toMillis());
  }

  @Override
  public String alert() {
    return alert;
  }

  @Override
  public Check check(long nowMs) {
    OptionalDouble now = reading.get();
    if (now.isEmpty()) {
      return Check.UNKNOWN;
    }
    samples.add(nowMs, now.getAsDouble());
    long growth = (long) samples.growth();
    String span = ConfigReader.format(window);
    if (growth >= threshold) {
      return new Check.Firing(growth + " new " + what + " in the last " + span + " (" + (long) now.getAsDouble() + " in all)",
          new JsonObject().put("new", growth).put("total", (long) now.getAsDouble()).put("window", span));
    }
    return new Check.Clear("no new " + what + " in the last " + span);
  }
}
