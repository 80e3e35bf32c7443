package io.wabot.benchmark;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What happened to the steps posted during one stretch of a run (the warm-up, the measured part, a
 * stage of the saturation search). A step belongs to the window in which it was posted, wherever its
 * answer lands. Touched only on the load driver's event loop.
 */
public final class Window {

  final String name;
  final double targetRate;
  final Latencies latencies = new Latencies();
  final Map<String, Latencies> perStep = new LinkedHashMap<>();
  final Map<String, Long> lostPerStep = new LinkedHashMap<>();
  long posted;
  long answered;
  long lost;
  long webhookErrors;
  long tapMisses;
  long starved;
  long startNanos;
  long endNanos;

  Window(String name, double targetRate) {
    this.name = name;
    this.targetRate = targetRate;
  }

  void answered(String step, long micros) {
    answered++;
    latencies.add(micros);
    perStep.computeIfAbsent(step, s -> new Latencies()).add(micros);
  }

  void lost(String step) {
    lost++;
    lostPerStep.merge(step, 1L, Long::sum);
  }

  double seconds() {
    return Math.max(1, endNanos - startNanos) / 1e9;
  }

  /** Steps posted per second while the window was open. */
  double postedPerSecond() {
    return posted / seconds();
  }

  public JsonObject toJson() {
    JsonObject steps = new JsonObject();
    perStep.forEach((name, l) -> steps.put(name, l.summary().toJson()));
    JsonObject json = new JsonObject().put("name", name).put("seconds", round(seconds()))
        .put("posted", posted).put("answered", answered).put("lost", lost).put("lost_by_step", new JsonObject(new LinkedHashMap<>(lostPerStep)))
        .put("webhook_errors", webhookErrors).put("tap_misses", tapMisses)
        .put("messages_per_second", round(postedPerSecond()))
        .put("latency_ms", latencies.summary().toJson()).put("latency_curve", latencies.curve()).put("steps", steps);
    if (targetRate > 0) {
      json.put("target_rate", targetRate).put("starved", starved);
    }
    return json;
  }

  static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
