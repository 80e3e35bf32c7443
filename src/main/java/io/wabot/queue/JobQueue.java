package io.wabot.queue;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One durable queue in Redis with per-conversation FIFO order. Producers {@link #enqueue}; a
 * {@link QueueConsumer} claims and acknowledges; operators inspect and replay dead letters.
 *
 * <p>Every state change is one Lua script using Redis time, so any number of processes can share a
 * queue. Delivery is at-least-once; handlers make repeats harmless with {@link #recordResult}.
 */
public interface JobQueue {

  String name();

  /**
   * Stores jobs atomically: all of them or none. A job whose id was stored before (within the
   * deduplication window) is skipped. Succeeds only once Redis has the jobs.
   *
   * @return the ids that were new; duplicates are left out
   */
  Future<List<String>> enqueue(List<NewJob> jobs);

  /**
   * Records the result of a side effect on a claimed job as soon as it happens, so a later attempt of the same
   * job knows not to repeat it ({@link Job#result()}). Fails if the lease was lost. Worth its round trip only to a
   * handler with more to do after the side effect; one that returns its outcome at once (the sender) lets the ack
   * make it final.
   */
  Future<Void> recordResult(Job job, String result);

  /**
   * Records that the running attempt of a claimed job may have had an effect it cannot confirm (a request
   * that timed out may still have reached the Graph API): the next claim reports the job
   * {@link Job#inDoubt() in doubt}. Fails if the lease was lost.
   */
  Future<Void> markInDoubt(Job job);

  /**
   * Settles a job claimed in doubt: the result recorded for it meanwhile (e.g. the wamid a status
   * webhook proved sent), or empty, and then the doubt is cleared so the handler may do the work again.
   * Fails if the lease was lost.
   */
  Future<Optional<String>> settleDoubt(Job job);

  /** Stops all claims from this queue for a while, in every process (a Graph API throughput pause). */
  Future<Void> pause(Duration duration);

  /** How much longer the queue stays paused; zero when it is not. */
  Future<Duration> pausedFor();

  Future<QueueStats> stats();

  /** The newest dead letters first. */
  Future<List<DeadJob>> deadLetters(int offset, int limit);

  Future<Optional<DeadJob>> deadLetter(String jobId);

  /** Moves a dead letter back to the end of its conversation's FIFO with its attempts reset. */
  Future<Boolean> replay(String jobId);

  /** Deletes a dead letter for good: an operator's explicit decision, never done automatically. */
  Future<Boolean> deleteDeadLetter(String jobId);
}
