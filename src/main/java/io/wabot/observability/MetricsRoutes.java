package io.wabot.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/** {@code GET /metrics}: the application's meters in Prometheus text format. */
public final class MetricsRoutes {

  private MetricsRoutes() {
  }

  /** Mounts the scrape endpoint when metrics are on (the registry is Prometheus); otherwise 404 as any unknown path. */
  public static void mount(Router router, MeterRegistry registry) {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(prometheus));
    }
  }
}
