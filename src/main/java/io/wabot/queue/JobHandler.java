package io.wabot.queue;

import io.vertx.core.Future;

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
}
