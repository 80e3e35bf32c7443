package io.wabot.queue;

import io.micrometer.core.instrument.MeterRegistry;
import io.wabot.observability.Metrics;

/** What ArchitectureTest forbids in main code: a queue class fetching the metrics registry from the static. */
final class AmbientRegistryUser {

  private AmbientRegistryUser() {
  }

  static MeterRegistry registry() {
    return Metrics.registry();
  }
}
