package io.wabot.observability.alerts;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/**
 * Reads meters by name whatever their kind (counter, function counter, gauge), so monitors do not
 * depend on how the component that owns a meter chose to register it.
 */
final class MeterReadings {

  /** A reading and the tag value of the meter it came from. */
  record Tagged(double value, String tag) {
  }

  private MeterReadings() {
  }

  /** The sum over all meters of that name whose tags pass {@code filter}; empty when there is none. */
  static OptionalDouble sum(MeterRegistry registry, String name, Predicate<Meter.Id> filter) {
    double sum = 0;
    boolean found = false;
    for (Meter meter : registry.find(name).meters()) {
      if (!filter.test(meter.getId())) {
        continue;
      }
      double value = value(meter);
      if (!Double.isNaN(value)) {
        sum += value;
        found = true;
      }
    }
    return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }

  static OptionalDouble sum(MeterRegistry registry, String name) {
    return sum(registry, name, id -> true);
  }

  /** The largest value among the meters of that name, with the value of {@code tag} on that meter. */
  static Optional<Tagged> max(MeterRegistry registry, String name, String tag) {
    Tagged best = null;
    for (Meter meter : registry.find(name).meters()) {
      double value = value(meter);
      if (!Double.isNaN(value) && (best == null || value > best.value())) {
        best = new Tagged(value, meter.getId().getTag(tag));
      }
    }
    return Optional.ofNullable(best);
  }

  private static double value(Meter meter) {
    for (Measurement m : meter.measure()) {
      if (m.getStatistic() == Statistic.COUNT || m.getStatistic() == Statistic.VALUE || m.getStatistic() == Statistic.TOTAL) {
        return m.getValue();
      }
    }
    return Double.NaN;
  }
}
