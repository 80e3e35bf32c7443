package io.wabot.observability.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The encoded log events waiting for Better Stack, bounded in events and bytes, and the process-wide
 * tallies of what was shipped and dropped.
 *
 * <p>Logback creates appenders itself, before the configuration is read, so the appender and the
 * shipper meet here: {@link #shared()} is the one buffer of the process. Tests make their own.
 *
 * <p>Adding never waits for I/O: it takes a short lock, appends, and when the buffer is full drops the
 * <em>oldest</em> events (the newest say most about what is happening now) and counts them.
 *
 * <p>Two lanes: alerts and lifecycle events ({@link LogLanes#isPriority}) wait in a lane of their own,
 * bounded separately ({@link Limits#priorityEvents()}) and shipped first, which a flood of ordinary
 * events can never evict from: no burst, however large, can drop the alert that reports it.
 *
 * <p>Life cycle: from process start the buffer holds events (the start-up events matter) until the
 * configuration is known. Then {@link #attach} (a shipper drains it, with the configured limits) or
 * {@link #shippingOff} (no token: empty it and accept nothing more, so logging costs nothing extra).
 * When the last shipper {@link #detach}es, it is emptied and off again.
 */
public final class LogBuffer {

  /**
   * Bounds of the buffer.
   *
   * @param maxEvents     most events held
   * @param maxBytes      most bytes held
   * @param maxEventBytes largest single event; the appender truncates larger ones
   */
  public record Limits(int maxEvents, long maxBytes, int maxEventBytes) {

    public static final Limits DEFAULT = new Limits(10_000, 8L * 1024 * 1024, 64 * 1024);

    public Limits {
      if (maxEvents < 1 || maxEventBytes < 1 || maxBytes < maxEventBytes) {
        throw new IllegalArgumentException("invalid log buffer limits: " + maxEvents + " events, " + maxBytes
            + " bytes, " + maxEventBytes + " bytes per event");
      }
    }

    /** Most events of the priority lane, on top of {@link #maxEvents}: alerts are few (one per condition and interval). */
    public int priorityEvents() {
      return Math.max(100, maxEvents / 10);
    }

    /** Most bytes of the priority lane, on top of {@link #maxBytes}. */
    public long priorityBytes() {
      return Math.max(maxEventBytes, maxBytes / 8);
    }
  }

  private enum State { STARTING, ON, OFF }

  private static final LogBuffer SHARED = new LogBuffer();

  private final ArrayDeque<byte[]> events = new ArrayDeque<>();
  private long bytes;
  private final ArrayDeque<byte[]> priority = new ArrayDeque<>();
  private long priorityBytes;
  private int shippers;
  private volatile Limits limits = Limits.DEFAULT;
  private volatile State state = State.STARTING;

  private final AtomicLongArray dropped = new AtomicLongArray(DropReason.values().length);
  private final AtomicLong shipped = new AtomicLong();

  private volatile Runnable onBatchReady;
  private volatile int batchReadyAt = Integer.MAX_VALUE;
  private final AtomicBoolean batchSignalled = new AtomicBoolean();

  public static LogBuffer shared() {
    return SHARED;
  }

  /** Whether events are wanted at all; false when shipping is off, so the appender skips even encoding. */
  public boolean accepting() {
    return state != State.OFF;
  }

  public int maxEventBytes() {
    return limits.maxEventBytes();
  }

  /** Adds one ordinary encoded event, dropping the oldest ordinary ones when full. Returns at once. */
  public void offer(byte[] event) {
    offer(event, false);
  }

  /**
   * Adds one encoded event to its lane, dropping the oldest events of that lane when it is full. Returns
   * at once.
   */
  public void offer(byte[] event, boolean priorityLane) {
    Runnable signal = null;
    synchronized (this) {
      if (state == State.OFF) {
        return;
      }
      Limits bounds = limits;
      int overflow;
      if (priorityLane) {
        overflow = evict(priority, bounds.priorityEvents(), bounds.priorityBytes() - event.length, true);
        priority.addLast(event);
        priorityBytes += event.length;
      } else {
        overflow = evict(events, bounds.maxEvents(), bounds.maxBytes() - event.length, false);
        events.addLast(event);
        bytes += event.length;
      }
      if (overflow > 0) {
        dropped.addAndGet(DropReason.BUFFER_FULL.ordinal(), overflow);
      }
      if (events.size() + priority.size() >= batchReadyAt && batchSignalled.compareAndSet(false, true)) {
        signal = onBatchReady;
      }
    }
    if (signal != null) {
      signal.run();
    }
  }

  /**
   * Drops the oldest events of one lane until it has room for one more of {@code room} bytes at most
   * (keeping at least nothing); returns how many were dropped.
   */
  private int evict(ArrayDeque<byte[]> lane, int maxEvents, long room, boolean priorityLane) {
    int overflow = 0;
    long laneBytes = priorityLane ? priorityBytes : bytes;
    while (!lane.isEmpty() && (lane.size() >= maxEvents || laneBytes > room)) {
      laneBytes -= lane.pollFirst().length;
      overflow++;
    }
    if (priorityLane) {
      priorityBytes = laneBytes;
    } else {
      bytes = laneBytes;
    }
    return overflow;
  }

  /**
   * Removes the oldest events, the priority lane's first, up to {@code maxCount} and {@code maxBytes}
   * (but at least one if any).
   */
  public synchronized List<byte[]> take(int maxCount, long maxBytes) {
    List<byte[]> batch = new ArrayList<>(Math.min(maxCount, events.size() + priority.size()));
    long batchBytes = 0;
    while (batch.size() < maxCount && (!priority.isEmpty() || !events.isEmpty())) {
      boolean fromPriority = !priority.isEmpty();
      byte[] next = fromPriority ? priority.peekFirst() : events.peekFirst();
      if (!batch.isEmpty() && batchBytes + next.length > maxBytes) {
        break;
      }
      if (fromPriority) {
        priority.pollFirst();
        priorityBytes -= next.length;
      } else {
        events.pollFirst();
        bytes -= next.length;
      }
      batchBytes += next.length;
      batch.add(next);
    }
    batchSignalled.set(false);
    return batch;
  }

  /** Whether a full batch (by count or by bytes) is waiting. */
  public synchronized boolean hasFullBatch(int batchSize, long batchBytes) {
    return size() >= batchSize || bytes() >= batchBytes;
  }

  public synchronized int size() {
    return events.size() + priority.size();
  }

  public synchronized long bytes() {
    return bytes + priorityBytes;
  }

  /**
   * A shipper starts draining: the buffer takes these limits (dropping the oldest events that no longer
   * fit) and calls {@code onBatchReady} once whenever {@code batchSize} events are waiting, from the
   * logging thread: it must only schedule work, never do it.
   */
  public synchronized void attach(Limits newLimits, int batchSize, Runnable batchReady) {
    shippers++;
    state = State.ON;
    limits = newLimits;
    onBatchReady = batchReady;
    batchReadyAt = batchSize;
    int overflow = evict(events, newLimits.maxEvents() + 1, newLimits.maxBytes(), false)
        + evict(priority, newLimits.priorityEvents() + 1, newLimits.priorityBytes(), true);
    dropped.addAndGet(DropReason.BUFFER_FULL.ordinal(), overflow);
  }

  /** A shipper stopped; after the last one, whatever is left is dropped (counted) and the buffer is off. */
  public synchronized void detach() {
    shippers = Math.max(0, shippers - 1);
    if (shippers == 0) {
      dropped.addAndGet(DropReason.SHUTDOWN.ordinal(), size());
      clearAndStop();
    }
  }

  /** Shipping is not configured: forget the start-up events and accept nothing more (unless a shipper runs). */
  public synchronized void shippingOff() {
    if (shippers == 0) {
      clearAndStop();
    }
  }

  private void clearAndStop() {
    state = State.OFF;
    events.clear();
    bytes = 0;
    priority.clear();
    priorityBytes = 0;
    onBatchReady = null;
    batchReadyAt = Integer.MAX_VALUE;
  }

  public void recordDropped(DropReason reason, int count) {
    dropped.addAndGet(reason.ordinal(), count);
  }

  public void recordShipped(int count) {
    shipped.addAndGet(count);
  }

  public long dropped(DropReason reason) {
    return dropped.get(reason.ordinal());
  }

  public long droppedTotal() {
    long total = 0;
    for (DropReason reason : DropReason.values()) {
      total += dropped(reason);
    }
    return total;
  }

  public long shipped() {
    return shipped.get();
  }
}
