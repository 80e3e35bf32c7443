package io.wabot.observability.alerts;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Samples of a value over a sliding window of time, to answer "how much did it change lately" for
 * monotonic counters (requests, errors, dead letters, dropped events).
 */
final class SlidingWindow {

  private record Sample(long atMs, double value) {
  }

  private final long windowMs;
  private final Deque<Sample> samples = new ArrayDeque<>();

  SlidingWindow(long windowMs) {
    this.windowMs = windowMs;
  }

  /** Records a sample and forgets those older than the window, keeping one at or before its start as baseline. */
  void add(long nowMs, double value) {
    samples.addLast(new Sample(nowMs, value));
    while (samples.size() > 1) {
      Iterator<Sample> oldestFirst = samples.iterator();
      oldestFirst.next();
      if (oldestFirst.next().atMs() > nowMs - windowMs) {
        break;
      }
      samples.pollFirst();
    }
  }

  /** Latest value minus the lowest value in the window: growth, even across a reset (replayed dead letters). */
  double growth() {
    if (samples.isEmpty()) {
      return 0;
    }
    double min = Double.MAX_VALUE;
    for (Sample s : samples) {
      min = Math.min(min, s.value());
    }
    return samples.peekLast().value() - min;
  }

  /** Latest value minus the oldest value kept (the baseline); for counters that only grow. */
  double increase() {
    if (samples.isEmpty()) {
      return 0;
    }
    return Math.max(0, samples.peekLast().value() - samples.peekFirst().value());
  }
}
