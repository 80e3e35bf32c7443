package io.wabot.observability.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wabot.observability.MetricNames;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MonitorsTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();

  private Counter graph(String outcome, String code) {
    return Counter.builder(MetricNames.GRAPH_REQUESTS).tag("outcome", outcome).tag("code", code).register(registry);
  }

  @Test
  @DisplayName("the Graph API error rate counts retries, pauses and dead letters over the sliding window only")
  void graphErrorRate() {
    var monitor = new GraphErrorRateMonitor(() -> registry, Duration.ofMinutes(5), 0.2, 20);
    assertThat(monitor.check(0)).isInstanceOf(Check.Unknown.class);

    graph("accepted", "200").increment(100);
    graph("delay", "131056").increment(50);
    assertThat(monitor.check(0)).isInstanceOf(Check.Clear.class);

    graph("accepted", "200").increment(60);
    graph("retry", "500").increment(30);
    graph("dead_letter", "190").increment(10);
    Check check = monitor.check(60_000);
    assertThat(check).isInstanceOf(Check.Firing.class);
    Check.Firing firing = (Check.Firing) check;
    assertThat(firing.message()).contains("40%").contains("(40 of 100)");
    assertThat(firing.details().getLong("failed")).isEqualTo(40);

    graph("accepted", "200").increment(100);
    monitor.check(200_000);
    assertThat(monitor.check(361_000)).as("the failures left the window").isInstanceOf(Check.Clear.class);
  }

  @Test
  @DisplayName("too few requests in the window neither raise nor clear the error-rate alert")
  void graphErrorRateNeedsTraffic() {
    var monitor = new GraphErrorRateMonitor(() -> registry, Duration.ofMinutes(5), 0.2, 20);
    graph("retry", "500").increment(0);
    monitor.check(0);
    graph("retry", "500").increment(5);
    assertThat(monitor.check(1000)).isInstanceOf(Check.Unknown.class);
  }

  @Test
  @DisplayName("dead letters rising within the window raise the growth alert, which clears a window later")
  void deadLetterGrowth() {
    AtomicLong dlq = new AtomicLong(3);
    Gauge.builder(MetricNames.QUEUE_DEAD_LETTERS, dlq, AtomicLong::get).tag("queue", "outbound").register(registry);
    var monitor = new GrowthMonitor("dead_letter_growth", "dead letters",
        () -> MeterReadings.sum(registry, MetricNames.QUEUE_DEAD_LETTERS), Duration.ofMinutes(5), 1);

    assertThat(monitor.check(0)).isInstanceOf(Check.Clear.class);
    dlq.set(4);
    assertThat(monitor.check(15_000)).isInstanceOfSatisfying(Check.Firing.class,
        f -> assertThat(f.message()).startsWith("1 new dead letters"));
    assertThat(monitor.check(200_000)).isInstanceOf(Check.Firing.class);
    assertThat(monitor.check(330_000)).isInstanceOf(Check.Clear.class);

    dlq.set(0);
    monitor.check(340_000);
    dlq.set(1);
    assertThat(monitor.check(350_000)).as("growth after a replay still counts").isInstanceOf(Check.Firing.class);
  }

  @Test
  @DisplayName("queue lag above the threshold names the lagging queue")
  void queueLag() {
    AtomicLong inbound = new AtomicLong(500);
    AtomicLong outbound = new AtomicLong(45_000);
    Gauge.builder(MetricNames.QUEUE_LAG, inbound, AtomicLong::get).tag("queue", "inbound").register(registry);
    Gauge.builder(MetricNames.QUEUE_LAG, outbound, AtomicLong::get).tag("queue", "outbound").register(registry);
    var monitors = AlertVerticle.standardMonitors(io.wabot.testing.TestApps.liveConfig("redis://localhost:1").alerts(), registry);
    Monitor lag = monitors.stream().filter(m -> m.alert().equals("queue_lag")).findFirst().orElseThrow();

    assertThat(lag.check(0)).isInstanceOfSatisfying(Check.Firing.class, f -> {
      assertThat(f.details().getString("queue")).isEqualTo("outbound");
      assertThat(f.message()).contains("outbound queue").contains("45s").contains("threshold 30s");
    });
    outbound.set(100);
    assertThat(lag.check(1)).isInstanceOf(Check.Clear.class);
  }

  @Test
  @DisplayName("without the meters a monitor reads, it has nothing to say")
  void unknownWithoutMeters() {
    var monitors = AlertVerticle.standardMonitors(io.wabot.testing.TestApps.liveConfig("redis://localhost:1").alerts(), registry);
    monitors.stream().filter(m -> !m.alert().equals("rss_over_threshold"))
        .forEach(m -> assertThat(m.check(0)).as(m.alert()).isInstanceOf(Check.Unknown.class));
  }
}
