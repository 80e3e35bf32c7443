package io.wabot.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * Where components register their meters. In the service this is the Prometheus registry behind
 * {@code GET /metrics}; where metrics are not enabled (some unit tests) it is an in-memory registry,
 * so instrumented code never checks whether metrics are on.
 */
public final class Metrics {

  private static final MeterRegistry FALLBACK = new SimpleMeterRegistry();

  private Metrics() {
  }

  public static MeterRegistry registry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry != null ? registry : FALLBACK;
  }
}
