package io.wabot.queue;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Processes claimed jobs of one queue. The consumer calls it on its verticle's event loop, keeps the
 * lease alive while the returned future is pending, and applies the outcome. A failed future counts
 * as {@link JobOutcome.RetryLater}.
 */
public interface JobHandler {

  Future<JobOutcome> handle(Job job);

  /**
   * Whether the handler can take work now. While false (a circuit breaker open, sending paused) the
   * consumer claims nothing, so waiting jobs are not burned as failed attempts.
   */
  default boolean acceptsWork() {
    return true;
  }

  /**
   * How many more jobs the handler takes now, when less than the consumer's free slots (a sender whose
   * requests in flight follow Meta's latency): one claim takes no more than this.
   */
  default int room() {
    return Integer.MAX_VALUE;
  }

  /**
   * The longest the handler may work on one job before the consumer counts it as failed: {@code queue.maxRunTime}
   * ({@code configured}), unless the handler's work is bounded by a longer setting of its own (a media download by
   * {@code media.downloadTimeout}). A handler given up on still runs, and its job's next attempt would do the same
   * work beside it.
   */
  default Duration maxRunTime(Duration configured) {
    return configured;
  }
}
