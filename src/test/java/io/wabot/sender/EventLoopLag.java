package io.wabot.sender;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How late the event loops of some Vert.x instances run: 5 ms periodic timers, one per event loop of
 * each instance (each timer made outside Vert.x lands on the next loop in turn), record by how much
 * they fire after they were due. A request held up on such a loop leaves (or is seen) late by as much,
 * which is what a test of spacing must allow for, and only that.
 */
final class EventLoopLag {

  private static final long PERIOD_MS = 5;
  /** More than the loops a test instance has (one per core by default), so every loop is watched. */
  private static final int LOOPS_PER_INSTANCE = 2 * Runtime.getRuntime().availableProcessors() + 2;

  private final List<Vertx> instances = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  private final AtomicLong worstNanos = new AtomicLong();

  EventLoopLag(Vertx... watched) {
    for (Vertx vertx : watched) {
      for (int loop = 0; loop < LOOPS_PER_INSTANCE; loop++) {
        watch(vertx);
      }
    }
  }

  private void watch(Vertx vertx) {
    long[] due = {System.nanoTime() + PERIOD_MS * 1_000_000};
    instances.add(vertx);
    timers.add(vertx.setPeriodic(PERIOD_MS, id -> {
      long now = System.nanoTime();
      worstNanos.accumulateAndGet(Math.max(0, now - due[0]), Math::max);
      due[0] = now + PERIOD_MS * 1_000_000;
    }));
  }

  /** Stops watching; the worst lateness seen on any of the loops, in nanoseconds. */
  long stop() {
    for (int i = 0; i < instances.size(); i++) {
      instances.get(i).cancelTimer(timers.get(i));
    }
    return worstNanos.get();
  }
}
