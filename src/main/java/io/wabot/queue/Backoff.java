package io.wabot.queue;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter: {@code initial × 2^(attempt-1)}, capped at {@code max}, then
 * spread by ±{@code jitter} so that many clients failing together do not retry together.
 */
public record Backoff(Duration initial, Duration max, double jitter) {

  public Backoff {
    if (initial.isNegative() || max.compareTo(initial) < 0 || jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("invalid back-off " + initial + ".." + max + " ±" + jitter);
    }
  }

  /** The delay before retry number {@code attempt} (1 for the first retry). */
  public Duration delay(int attempt) {
    double base = initial.toMillis() * Math.pow(2, Math.max(0, Math.min(attempt - 1, 40)));
    double capped = Math.min(base, max.toMillis());
    double spread = jitter == 0 ? 1 : 1 + ThreadLocalRandom.current().nextDouble(-jitter, jitter);
    return Duration.ofMillis(Math.max(0, Math.round(capped * spread)));
  }
}
