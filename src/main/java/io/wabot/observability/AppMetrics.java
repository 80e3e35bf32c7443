package io.wabot.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The metrics of one application: a Prometheus registry that Vert.x reports into (HTTP server and
 * client, event bus, pools, and the JVM: memory, GC, threads, class loading, CPU), plus the process's
 * RSS, served by {@code GET /metrics}.
 *
 * <p>Every application gets its own registry under its own name: Vert.x keeps registries in a
 * process-wide map keyed by name and removes the entry when that Vert.x closes, so a shared name would
 * let one application's shutdown pull the registry from under another one in the same JVM.
 */
public final class AppMetrics {

  /** Timer buckets: the spec's latency targets (PF-001: 1 s p95, 2 s p99) fall on bucket bounds. */
  static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30)};

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final String name = "wabot-" + SEQUENCE.incrementAndGet();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public AppMetrics() {
    registry.config().meterFilter(latencyHistograms());
    Gauge.builder(MetricNames.PROCESS_RSS, () -> ProcessMemory.residentBytes().orElse(-1))
        .description("Resident set size of the process in bytes (VmRSS); -1 where /proc is not available")
        .strongReference(true)
        .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The options with Micrometer metrics switched on, reporting into this registry. */
  public VertxOptions configure(VertxOptions options) {
    return options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName(name)
        .setJvmMetricsEnabled(true)
        // the route pattern (e.g. /webhook), never the raw path: bounded label values; and the client's
        // metrics name, so several HTTP clients (Graph API, Better Stack) keep separate meters
        .addLabels(Label.HTTP_ROUTE, Label.CLIENT_NAME)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
  }

  public VertxMetricsFactory factory() {
    return new MicrometerMetricsFactory(registry);
  }

  /** The service's own timers ({@code wabot.*}) publish histogram buckets, so p95/p99 can be computed. */
  private static MeterFilter latencyHistograms() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() == Meter.Type.TIMER && id.getName().startsWith("wabot.")) {
          return DistributionStatisticConfig.builder()
              .serviceLevelObjectives(toNanos(LATENCY_BUCKETS))
              .build()
              .merge(config);
        }
        return config;
      }
    };
  }

  private static double[] toNanos(Duration[] durations) {
    double[] nanos = new double[durations.length];
    for (int i = 0; i < durations.length; i++) {
      nanos[i] = durations[i].toNanos();
    }
    return nanos;
  }
}
