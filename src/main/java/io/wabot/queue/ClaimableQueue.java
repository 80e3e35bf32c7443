package io.wabot.queue;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * The claim/ack protocol a {@link QueueConsumer} runs over: claim a job under a lease, keep the lease
 * alive, and settle the job once with its outcome. {@link RedisJobQueue} implements it with one Lua
 * script per step; the consumer knows nothing of Redis, so it is typed to this protocol rather than
 * checking at run time which queue it was given.
 *
 * <p>Every settling call fails (or answers {@code false} / {@link RetryResult#LOST}) when the claim's
 * lease was lost meanwhile: another consumer owns the job then, and nothing is applied.
 */
public interface ClaimableQueue {

  /** What a claim found. */
  sealed interface Claim {
  }

  /** A job, now leased under the claim's token. */
  record Claimed(Job job) implements Claim {
  }

  /** The queue is paused (a Graph API throughput pause) for {@code remaining} more. */
  record Paused(Duration remaining) implements Claim {
  }

  /** No conversation has a job ready. */
  record Empty() implements Claim {
  }

  /**
   * Jobs of several conversations, each leased under the claim's token; {@code drained} says the ready
   * list ran out, so asking again before a wake-up would find nothing.
   */
  record Batch(List<Job> jobs, boolean drained) implements Claim {
    public Batch {
      jobs = List.copyOf(jobs);
    }
  }

  /** What happened to a retry request. */
  enum RetryResult { DELAYED, DEAD, LOST }

  String name();

  /**
   * Claims the next ready job of a conversation no one else is running, under a lease named {@code token}:
   * {@link Claimed}, {@link Paused} or {@link Empty}.
   */
  default Future<Claim> claim(String token) {
    return claim(token, 1).map(claim -> claim instanceof Batch batch ? new Claimed(batch.jobs().get(0)) : claim);
  }

  /**
   * Claims the next ready jobs of up to {@code max} conversations in one round trip, all under the lease
   * named {@code token} (a lease names the claim and the job): {@link Batch}, {@link Paused} or {@link Empty}.
   */
  Future<Claim> claim(String token, int max);

  /** Extends the lease of a running job; false when it had already been lost. */
  Future<Boolean> heartbeat(Job job);

  /** Completes a job with its commit's effects; false when the lease had been lost (nothing applied). */
  Future<Boolean> ack(Job job, Commit commit);

  /**
   * Returns a job to its conversation after {@code delay}; {@code counted} makes it an attempt (and may
   * dead-letter it), {@code unfinished} says its handler still runs, so what it did stays unknown.
   */
  Future<RetryResult> retry(Job job, Duration delay, String reason, boolean counted, boolean unfinished);

  /** Moves a job to the dead-letter queue; false when the lease had been lost. */
  Future<Boolean> bury(Job job, String reason);

  /** Takes up a job a producer's script leased under {@code token} to this consumer ({@link HandOff}). */
  void adopt(Job job, String token);

  /** Forgets a job's lease locally (after an outcome, or when the consumer gives it up). */
  void forget(Job job);

  /**
   * Completes when work may be ready (a producer's wake-up token) or after {@code timeout}, without
   * holding an event loop; fails when the queue's store does not answer.
   */
  Future<Void> awaitWork(Duration timeout);

  /** Stops waiting for work and releases what waiting holds (a blocking connection). */
  Future<Void> stopWaiting();
}
