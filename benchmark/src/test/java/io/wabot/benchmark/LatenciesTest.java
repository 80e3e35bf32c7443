package io.wabot.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatenciesTest {

  @Test
  void nearestRankPercentiles() {
    Latencies l = new Latencies();
    for (int i = 100; i >= 1; i--) {
      l.add(i * 1_000L); // 1..100 ms, added out of order
    }
    Latencies.Summary s = l.summary();
    assertThat(s.count()).isEqualTo(100);
    assertThat(s.p50()).isEqualTo(50_000);
    assertThat(s.p95()).isEqualTo(95_000);
    assertThat(s.p99()).isEqualTo(99_000);
    assertThat(s.max()).isEqualTo(100_000);
    assertThat(s.mean()).isEqualTo(50_500);
    assertThat(Latencies.percentile(new long[] {1, 2, 3, 4}, 50)).isEqualTo(2);
    assertThat(Latencies.percentile(new long[] {7}, 99.9)).isEqualTo(7);
    assertThat(new Latencies().summary().p99()).isZero();
  }

  @Test
  void growsAndMerges() {
    Latencies a = new Latencies();
    for (int i = 0; i < 5_000; i++) {
      a.add(i);
    }
    Latencies b = new Latencies();
    b.add(1_000_000);
    b.addAll(a);
    assertThat(b.count()).isEqualTo(5_001);
    assertThat(b.summary().max()).isEqualTo(1_000_000);
  }

  @Test
  void histogramPutsTheRestInTheLastBucket() {
    Latencies l = new Latencies();
    l.add(500);
    l.add(1_500);
    l.add(1_900);
    l.add(90_000);
    assertThat(l.histogram(1_000, 3)).containsExactly(1, 2, 1);
  }
}
