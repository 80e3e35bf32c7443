package io.wabot.queue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Slots reserved on a consumer in this process for jobs a producer is about to store ({@link LocalConsumers}):
 * the storing script leases up to {@link #slots} of them to {@link #token} (each the only job of its
 * conversation, the queue not paused) and answers them; {@link #deliver} gives those to the consumer and frees
 * the slots the script did not use. When the answer is lost (Redis timed out or failed, maybe after running the
 * script), {@link #recover} gives back to the ready list whichever of the candidates the script had leased, so that
 * they are claimed at once rather than after their lease, in doubt. One of the two is called, once.
 */
final class HandOff {

  private final QueueConsumer consumer;
  private final String token;
  private final int slots;
  private final AtomicBoolean settled = new AtomicBoolean();

  HandOff(QueueConsumer consumer, String token, int slots) {
    this.consumer = consumer;
    this.token = token;
    this.slots = slots;
  }

  /** The lease the storing script gives the jobs it hands off. */
  String token() {
    return token;
  }

  /** How many jobs the storing script may hand off. */
  int slots() {
    return slots;
  }

  /** Gives the consumer the jobs the script leased to {@link #token} (none is fine) and frees the rest. */
  void deliver(List<Job> jobs) {
    if (settled.compareAndSet(false, true)) {
      consumer.adopt(this, jobs);
    }
  }

  /**
   * The script's answer is unknown: each of {@code candidates} (the jobs it might have handed off) still leased to
   * {@link #token} goes back to the ready list, unstarted; the slots are freed.
   */
  void recover(List<Job> candidates) {
    if (settled.compareAndSet(false, true)) {
      consumer.recover(this, candidates);
    }
  }
}
