package io.wabot.queue;

import io.vertx.core.Vertx;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The queue consumers running in one process (one Vert.x instance), by queue: where a producer in the same
 * process hands a new job straight to a consumer with a free slot ({@link HandOff}) instead of leaving it in
 * the ready list for a claim. The job is leased to that consumer by the very script that stores it, so a
 * message's way through the bot skips a claim's round trip and the wake-up before it at each of its two
 * hops, and Redis nine commands per hop; what is durable, and when, does not change (docs/architecture.md,
 * "Hand-offs").
 */
final class LocalConsumers {

  private static final Map<Vertx, LocalConsumers> BY_PROCESS = Collections.synchronizedMap(new WeakHashMap<>());

  private final Map<String, List<QueueConsumer>> byQueue = new ConcurrentHashMap<>();

  private LocalConsumers() {
  }

  static LocalConsumers of(Vertx vertx) {
    return BY_PROCESS.computeIfAbsent(vertx, v -> new LocalConsumers());
  }

  void add(QueueConsumer consumer) {
    byQueue.computeIfAbsent(consumer.queueKey(), q -> new CopyOnWriteArrayList<>()).add(consumer);
  }

  void remove(QueueConsumer consumer) {
    List<QueueConsumer> consumers = byQueue.get(consumer.queueKey());
    if (consumers != null) {
      consumers.remove(consumer);
    }
  }

  /**
   * Up to {@code max} slots of the consumer of {@code queue} (in {@code keyspace}: two bots in one process do not
   * mix) with the most free ones, reserved until the hand-off is delivered or recovered; null when no consumer of
   * it here has a free slot. Safe from any thread.
   */
  HandOff reserve(Keyspace keyspace, String queue, int max) {
    List<QueueConsumer> consumers = byQueue.get(keyspace.queue(queue));
    if (consumers == null || max < 1) {
      return null;
    }
    QueueConsumer best = null;
    int most = 0;
    for (QueueConsumer consumer : consumers) {
      int free = consumer.freeForHandOff();
      if (free > most) {
        best = consumer;
        most = free;
      }
    }
    return best == null ? null : best.reserve(max);
  }
}
