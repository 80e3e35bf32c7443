package io.wabot.testing;

import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A list that the code under test appends to (a handler, an event-bus consumer, a fake server, a log
 * appender) and a test waits on: every append wakes the waiting test, which looks again. No sleeping,
 * no polling; a wait that times out fails with what the list held.
 *
 * <pre>{@code
 * WaitableList<JsonObject> alerts = new WaitableList<>();
 * vertx.eventBus().<JsonObject>consumer(Alerts.ADDRESS, m -> alerts.add(m.body()));
 * alerts.await(a -> a.getBoolean("resolved"));
 * }</pre>
 */
public final class WaitableList<T> extends AbstractList<T> {

  /** Far beyond what any healthy run needs. */
  public static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final List<T> items = new CopyOnWriteArrayList<>();

  @Override
  public boolean add(T item) {
    return addAll(Collections.singletonList(item));
  }

  @Override
  public synchronized boolean addAll(Collection<? extends T> more) {
    items.addAll(more);
    notifyAll();
    return !more.isEmpty();
  }

  @Override
  public T get(int index) {
    return items.get(index);
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public void clear() {
    items.clear();
  }

  /** What the list holds now, as a copy that later appends leave alone. */
  public List<T> snapshot() {
    return new ArrayList<>(items);
  }

  /** Waits until the list holds at least {@code n} items; returns them all. */
  public List<T> awaitSize(int n) {
    return awaitSize(n, TIMEOUT);
  }

  public List<T> awaitSize(int n, Duration timeout) {
    return awaitUntil("at least " + n + " item(s)", list -> list.size() >= n, timeout);
  }

  /** Waits for the first item that matches, and returns it. */
  public T await(Predicate<? super T> which) {
    return awaitCount(which, 1).get(0);
  }

  /** Waits until at least {@code n} items match; returns the matching ones. */
  public List<T> awaitCount(Predicate<? super T> which, int n) {
    return awaitCount(which, n, TIMEOUT);
  }

  public List<T> awaitCount(Predicate<? super T> which, int n, Duration timeout) {
    return awaitUntil("at least " + n + " matching item(s)", list -> list.stream().filter(which).count() >= n, timeout)
        .stream().filter(which).toList();
  }

  /** Waits until {@code condition} holds for the list; returns the list as it was then. */
  public synchronized List<T> awaitUntil(String what, Predicate<List<T>> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<T> now = snapshot();
    while (!condition.test(now)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("waited " + timeout + " for " + what + "; the list holds " + now.size() + " item(s)"
            + (now.isEmpty() ? "" : ", the last: " + now.get(now.size() - 1)));
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
      now = snapshot();
    }
    return now;
  }
}
