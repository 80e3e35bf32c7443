package io.wabot.queue;

import java.util.List;

/**
 * Slots reserved on a consumer in this process for jobs a producer is about to store ({@link LocalConsumers}):
 * the storing script leases up to {@link #slots} of them to {@link #token} (each the only job of its
 * conversation, the queue not paused) and answers them; {@link #deliver} gives those to the consumer and frees
 * the slots the script did not use. Exactly one of {@code deliver} or {@link #cancel} is called.
 *
 * <p>When the store's answer is lost (Redis failed after applying it), the jobs it leased are not known here:
 * they stay leased to the token until the lease runs out ({@code queue.lease}), and are then claimed again, in
 * doubt, like the jobs of a process that died.
 */
final class HandOff {

  private final QueueConsumer consumer;
  private final String token;
  private final int slots;

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
    consumer.adopt(this, jobs);
  }

  /** Frees the reserved slots: the script did not run, or its answer is unknown. */
  void cancel() {
    consumer.adopt(this, List.of());
  }
}
