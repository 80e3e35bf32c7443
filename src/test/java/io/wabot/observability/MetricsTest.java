package io.wabot.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wabot.Application;
import io.wabot.testing.Http;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MetricsTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  private String scrape(Application app) throws Exception {
    HttpResponse<String> response = Http.call(app.httpPort(), "GET", "/metrics", null);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** Runs on one of the application's event loops, as component code does. */
  private static MeterRegistry registryOnContextOf(Application app) throws Exception {
    CompletableFuture<MeterRegistry> seen = new CompletableFuture<>();
    app.vertx().getOrCreateContext().runOnContext(v -> seen.complete(Metrics.registry()));
    return seen.get(5, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("two applications in one JVM keep their own meters, and stopping one leaves the other's /metrics whole")
  void applicationsDoNotShareRegistries() throws Exception {
    Application first = TestApps.start(TestApps.liveConfig(REDIS.url()));
    Application second = TestApps.start(TestApps.liveConfig(REDIS.url()));
    try {
      MeterRegistry firstRegistry = registryOnContextOf(first);
      MeterRegistry secondRegistry = registryOnContextOf(second);
      assertThat(firstRegistry).isNotSameAs(secondRegistry).isSameAs(Metrics.registry(first.vertx()));

      Counter.builder(MetricNames.GRAPH_REQUESTS).tag("outcome", "accepted").tag("code", "200").register(firstRegistry).increment(7);
      assertThat(scrape(first)).contains("wabot_graph_requests_total{code=\"200\",outcome=\"accepted\"} 7.0");
      assertThat(scrape(second)).doesNotContain("wabot_graph_requests_total");

      TestApps.stop(first);
      first = null;

      assertThat(scrape(second)).contains("jvm_memory_used_bytes").contains("wabot_process_rss_bytes");
      assertThat(registryOnContextOf(second)).isSameAs(secondRegistry);
      assertThat(Metrics.registry()).as("off the event loops: the application still running").isSameAs(secondRegistry);
    } finally {
      TestApps.stop(first);
      TestApps.stop(second);
    }
  }
}
