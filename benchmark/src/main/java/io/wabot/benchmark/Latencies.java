package io.wabot.benchmark;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * The latencies of one set of answered steps, in microseconds. Every sample is kept (a run of ten
 * minutes at 1,000 messages a second is 600,000 longs, under 5 MB), so the percentiles are exact
 * rather than estimated from buckets.
 */
public final class Latencies {

  private long[] micros = new long[1024];
  private int count;

  public void add(long latencyMicros) {
    if (count == micros.length) {
      micros = Arrays.copyOf(micros, count * 2);
    }
    micros[count++] = latencyMicros;
  }

  public void addAll(Latencies other) {
    for (int i = 0; i < other.count; i++) {
      add(other.micros[i]);
    }
  }

  public int count() {
    return count;
  }

  /** The sorted samples. */
  long[] sorted() {
    long[] copy = Arrays.copyOf(micros, count);
    Arrays.sort(copy);
    return copy;
  }

  /**
   * The nearest-rank percentile: the smallest sample with at least {@code p} percent of the samples at
   * or below it (so p100 is the maximum and p50 of {1, 2, 3, 4} is 2).
   */
  public static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public Summary summary() {
    long[] sorted = sorted();
    double mean = count == 0 ? 0 : Arrays.stream(sorted).average().orElse(0);
    return new Summary(count, percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99),
        percentile(sorted, 99.9), count == 0 ? 0 : sorted[count - 1], (long) mean);
  }

  /** Counts of samples per bucket of {@code bucketMicros}, the last bucket holding everything above. */
  public int[] histogram(long bucketMicros, int buckets) {
    int[] counts = new int[buckets];
    for (int i = 0; i < count; i++) {
      counts[(int) Math.min(buckets - 1, micros[i] / bucketMicros)]++;
    }
    return counts;
  }

  /** Percentiles in microseconds; {@code count} samples. */
  public record Summary(int count, long p50, long p95, long p99, long p999, long max, long mean) {

    public JsonObject toJson() {
      return new JsonObject().put("count", count).put("p50", ms(p50)).put("p95", ms(p95)).put("p99", ms(p99))
          .put("p99_9", ms(p999)).put("max", ms(max)).put("mean", ms(mean));
    }

    static double ms(long micros) {
      return Math.round(micros / 10.0) / 100.0;
    }
  }

  /** The percentile curve for a chart: (percentile, milliseconds) pairs at increasingly fine steps. */
  public JsonArray curve() {
    long[] sorted = sorted();
    JsonArray points = new JsonArray();
    if (sorted.length == 0) {
      return points;
    }
    double[] ps = {0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92, 94, 95, 96, 97, 98, 99, 99.5, 99.9, 99.99, 100};
    for (double p : ps) {
      points.add(new JsonArray().add(p).add(Summary.ms(p == 0 ? sorted[0] : percentile(sorted, p))));
    }
    return points;
  }
}
