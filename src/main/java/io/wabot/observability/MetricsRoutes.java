package io.wabot.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.wabot.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}: the application's meters in Prometheus text format. With {@code METRICS_TOKEN}
 * set it answers only {@code Authorization: Bearer <METRICS_TOKEN>} (compared in constant time) and 401
 * otherwise: the metrics name internal hosts, queue depths and traffic, which strangers need not see.
 */
public final class MetricsRoutes {

  private MetricsRoutes() {
  }

  /**
   * Mounts the scrape endpoint when metrics are on (the registry is Prometheus); otherwise 404 as any
   * unknown path.
   *
   * @param token      the bearer token required, or null for an open endpoint
   * @param rejections where wrong tokens are counted
   */
  public static void mount(Router router, MeterRegistry registry, Secret token, Rejections rejections) {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      if (token != null) {
        byte[] expected = ("Bearer " + token.value()).getBytes(StandardCharsets.UTF_8);
        router.get("/metrics").handler(ctx -> authorize(ctx, expected, rejections));
      }
      router.get("/metrics").handler(PrometheusScrapingHandler.create(prometheus));
    }
  }

  private static void authorize(RoutingContext ctx, byte[] expected, Rejections rejections) {
    String header = ctx.request().getHeader("Authorization");
    if (header != null && MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
      ctx.next();
      return;
    }
    rejections.rejected("metrics", "token", "missing or wrong bearer token (METRICS_TOKEN); answered 401");
    ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer").end();
  }
}
