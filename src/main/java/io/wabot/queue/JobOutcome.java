package io.wabot.queue;

import java.time.Duration;

/** What a {@link JobHandler} decided about a job: errors are data, not exceptions. */
public sealed interface JobOutcome {

  /** Done: the job is removed and the commit's effects are applied, all in one atomic step. */
  record Done(Commit commit) implements JobOutcome {
  }

  /**
   * Failed in a way that may succeed later (a 5xx, a timeout): counts as an attempt. The queue waits
   * {@code delay} (or its own exponential back-off when null) and, after the configured maximum
   * attempts, dead-letters the job instead.
   */
  record RetryLater(Duration delay, String reason) implements JobOutcome {
  }

  /**
   * Not attempted, or held back on purpose (circuit open, a rate-limit pause, the pair rate limit):
   * the job returns to its conversation after {@code delay} without counting as an attempt.
   */
  record Postpone(Duration delay, String reason) implements JobOutcome {
  }

  /** Cannot succeed (a permanent 4xx, an expired token, bad data): kept in the dead-letter queue with the reason. */
  record DeadLetter(String reason) implements JobOutcome {
  }

  static JobOutcome done() {
    return new Done(Commit.none());
  }

  static JobOutcome done(Commit commit) {
    return new Done(commit);
  }

  static JobOutcome retry(String reason) {
    return new RetryLater(null, reason);
  }

  static JobOutcome retryAfter(Duration delay, String reason) {
    return new RetryLater(delay, reason);
  }

  static JobOutcome postpone(Duration delay, String reason) {
    return new Postpone(delay, reason);
  }

  static JobOutcome deadLetter(String reason) {
    return new DeadLetter(reason);
  }
}
