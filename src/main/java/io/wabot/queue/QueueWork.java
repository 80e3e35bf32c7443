package io.wabot.queue;

import io.vertx.core.Future;

/**
 * What one {@link QueueWorkerVerticle} runs over its queue: the handler, plus the pieces around it that
 * start with the consumer and close after it (a webhook client, a breaker gauge, a pause listener).
 */
public interface QueueWork {

  JobHandler handler();

  /**
   * Called once the consumer exists, before it claims anything: hooks that must wake it (a pause or an
   * open breaker ending) are attached here.
   */
  default Future<Void> start(Runnable wakeConsumer) {
    return Future.succeededFuture();
  }

  /** Called after the consumer stopped: its jobs have finished or were handed back. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }

  /** Work that is only a handler. */
  static QueueWork of(JobHandler handler) {
    return () -> handler;
  }
}
