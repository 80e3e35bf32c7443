package io.wabot.sender;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import io.wabot.queue.ScriptRunner;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The phone number's throughput budget (Meta allows 80 messages a second by default), shared by every
 * process through one Redis key: a GCRA limiter in one Lua script that hands out send slots spaced
 * evenly on the Redis clock. A burst is smoothed out rather than sent at once, so the bot never trips
 * Meta's throughput limit (130429) by itself.
 *
 * <p>A slot is a point in time, and a send that happens late (a busy event loop, a GC pause) would
 * crowd the slots after it into the same second. So slots are spaced for the rate plus a small
 * lateness allowance ({@link #LATENESS}), and a caller that wakes up later than that after its slot
 * gives the slot up and takes a new one: in any one-second window of send times there are then never
 * more than the configured number of sends. Meta counts at its end, though, after the network has
 * added its own jitter (one request held up behind a retransmission or a pause on either side
 * arrives bunched with the next second's), so the spacing also leaves {@link #TRANSPORT_JITTER} for
 * that: the limiter runs about 3 % under the configured rate (77.6 a second for 80).
 *
 * <p>A busy process (a saturated CPU) hands the slot's answer to its caller tens of milliseconds after Redis
 * gave it, so a slot of "now" is already missed when the caller sees it, and so is the one it takes next: the
 * send is postponed, which costs a queue round trip and more CPU, and the busier the process, the more of
 * its sends miss. So the limiter measures that lag (from Redis's clock at the grant to the caller getting the
 * answer) and, while it is more than half the lateness allowance, asks for slots no earlier than that far
 * ahead ({@link #lead()}, at most {@link #MAX_LEAD}): the answer then arrives about when its slot comes.
 * Only when the slots begin moves; their spacing, and so the guarantee above, is the same. An idle process
 * sees a lag under a millisecond and asks for no lead. The slots a lead skips are kept free in Redis (see
 * {@code throughput.lua}) for callers without one, so that one busy process does not delay every other's sends
 * by its lead.
 *
 * <p>One Redis call per slot when sends are few, one call for all the sends waiting at once when they are many
 * or asked for {@link #together} (a reply and its read receipt; {@link #reserve()}), answered in well under a
 * millisecond locally; the wait for the slot is a local timer,
 * aligned to the Redis clock by an offset measured on the fastest round trip.
 */
public final class ThroughputLimiter {

  /** Slots are not reserved further ahead than this; a caller told {@link Full} puts the job back. */
  static final Duration MAX_WAIT = Duration.ofSeconds(2);
  /** How late after its slot a send may still go; later ones take a new slot. */
  // A busy event loop (hundreds of messages a second) answers the slot's reply some milliseconds late
  // even when the slot was "now"; 15 ms keeps such sends going instead of postponing them.
  static final Duration LATENESS = Duration.ofMillis(15);
  /** How much later one request may reach Meta than the one after it without crowding a second there. */
  static final Duration TRANSPORT_JITTER = Duration.ofMillis(15);
  /** The furthest ahead of now a busy process asks for its slots (see {@link #lead()}). */
  static final Duration MAX_LEAD = Duration.ofMillis(250);
  /** Most slots one Redis call takes: bounds the burst one process reserves ahead of the others. */
  static final int MAX_BATCH = 64;
  /** The Redis-to-local clock offset is re-measured when the best measurement is older than this. */
  private static final long OFFSET_MAX_AGE_NANOS = Duration.ofSeconds(30).toNanos();

  /** What {@link #reserve()} got. */
  public sealed interface Reservation {
  }

  /**
   * A slot: send after {@code delay}.
   *
   * @param atMicros the slot on the Redis clock (microseconds since the epoch)
   */
  public record Slot(Duration delay, long atMicros) implements Reservation {
  }

  /** The budget is spoken for until {@code retryIn}; nothing was reserved. */
  public record Full(Duration retryIn) implements Reservation {
  }

  private final Vertx vertx;
  private final ScriptRunner scripts;
  private final String key;
  private final long intervalMicros;

  // Redis clock minus local clock, in microseconds, from the round trip with the smallest latency.
  private long offsetMicros;
  private long offsetRttNanos = Long.MAX_VALUE;
  private long offsetMeasuredAt;
  private Future<Void> calibration;
  /** Callers of {@link #reserve()} waiting for the next Redis call; guarded by this. */
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  /** A reservation call is out; guarded by this. */
  private boolean reserving;
  /** Callers inside {@link #together} scopes now: no call goes out until the last one ends; guarded by this. */
  private int together;
  /** How late answers reach their callers, in microseconds (rises fast, decays slowly); guarded by this. */
  private long lagMicros;

  /**
   * @param key       the Redis key holding the next free slot; under the queue's hash tag
   * @param perSecond the budget: never more sends than this in any one second
   */
  public ThroughputLimiter(Vertx vertx, Redis redis, Duration commandTimeout, String key, int perSecond) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be at least 1");
    }
    this.vertx = vertx;
    this.scripts = new ScriptRunner(redis, commandTimeout);
    this.key = key;
    // (1 s + lateness + jitter) / rate: a window of one second at Meta's end then holds at most
    // `perSecond` sends, late or not.
    long windowMicros = 1_000_000L + (LATENESS.toNanos() + TRANSPORT_JITTER.toNanos()) / 1000;
    this.intervalMicros = (windowMicros + perSecond - 1) / perSecond;
  }

  /** The spacing of slots. */
  public Duration interval() {
    return Duration.ofNanos(intervalMicros * 1000);
  }

  /**
   * Meta's throughput limit (130429) for this number: no slot is handed out for {@code pause}, in any process
   * sharing the key. Other numbers' limiters are other keys, so they go on.
   */
  public Future<Void> pause(Duration pause) {
    return scripts.run("throughput_pause", key, List.of(Long.toString(Math.max(1, pause.toNanos() / 1000)))).mapEmpty();
  }

  /**
   * Takes the next slot without waiting for it. One Redis call takes the slots of every caller waiting at that
   * moment: while a call is out, the callers that come meanwhile wait for it, then share the next call (at
   * most {@link #MAX_BATCH}). An idle limiter so answers in one round trip, as before; a busy one in one round
   * trip for many sends instead of one each.
   */
  public Future<Reservation> reserve() {
    return calibrated().compose(v -> {
      Waiting caller = new Waiting(Promise.promise(), Vertx.currentContext());
      synchronized (this) {
        waiting.add(caller);
      }
      issueIfIdle();
      return caller.promise().future();
    });
  }

  /**
   * Runs {@code work}, which asks for several slots at once (a reply and the read receipt it carries), so that they
   * are taken in one Redis call when it ends, consecutive, instead of the second waiting for the first call's answer
   * to ask again. The call goes out as soon as {@code work} returns; slots asked for later, as usual.
   */
  public <T> T together(java.util.function.Supplier<T> work) {
    synchronized (this) {
      together++;
    }
    try {
      return work.get();
    } finally {
      synchronized (this) {
        together--;
      }
      issueIfIdle();
    }
  }

  /** Sends the call for the callers waiting, unless one is out already or a {@link #together} scope holds it. */
  private void issueIfIdle() {
    synchronized (this) {
      if (reserving || together > 0 || waiting.isEmpty()) {
        return;
      }
      reserving = true;
    }
    reserveWaiting();
  }

  /** A caller of {@link #reserve()}, answered on its own context (a shared limiter serves several event loops). */
  private record Waiting(Promise<Reservation> promise, Context context) {

    void answer(Reservation reservation) {
      settle(p -> p.tryComplete(reservation));
    }

    void fail(Throwable cause) {
      settle(p -> p.tryFail(cause));
    }

    private void settle(Consumer<Promise<Reservation>> outcome) {
      if (context == null || context == Vertx.currentContext()) {
        outcome.accept(promise);
      } else {
        context.runOnContext(v -> outcome.accept(promise));
      }
    }
  }

  /** One Redis call for the callers waiting now; when it is answered, the next one for those who came meanwhile. */
  private void reserveWaiting() {
    List<Waiting> batch = new ArrayList<>();
    synchronized (this) {
      while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
        batch.add(waiting.poll());
      }
      if (batch.isEmpty()) {
        reserving = false;
        return;
      }
    }
    long sent = System.nanoTime();
    scripts.run("throughput", key, List.of(Long.toString(intervalMicros), Long.toString(MAX_WAIT.toNanos() / 1000),
        Integer.toString(batch.size()), Long.toString(lead().toNanos() / 1000))).onComplete(ar -> {
          try {
            if (ar.failed()) {
              batch.forEach(caller -> caller.fail(ar.cause()));
            } else {
              answer(batch, ar.result(), sent);
            }
          } catch (RuntimeException e) {
            // An answer not shaped as expected fails its callers; the limiter goes on with the next ones.
            batch.forEach(caller -> caller.fail(e));
          } finally {
            reserveWaiting();
          }
        });
  }

  private void answer(List<Waiting> batch, Response response, long sentNanos) {
    int granted = response.get(0).toInteger();
    long waitMicros = response.get(1).toLong();
    long slot = Long.parseLong(response.get(2).toString());
    calibrate(slot - waitMicros, sentNanos, System.nanoTime());
    for (int i = 0; i < batch.size(); i++) {
      long offset = i * intervalMicros;
      batch.get(i).answer(i < granted
          ? new Slot(Duration.ofNanos((waitMicros + offset) * 1000), slot + offset)
          // The ones beyond the grant: the budget is spoken for until the slot after the granted ones.
          : new Full(Duration.ofNanos((waitMicros + (long) granted * intervalMicros) * 1000)));
    }
  }

  /**
   * Takes the next slot and completes when it has come (a {@link Slot}), or at once with {@link Full}.
   * Call {@link #onTime} right before sending; a late caller should {@code acquire} again.
   */
  public Future<Reservation> acquire() {
    return reserve().compose(reservation -> {
      if (!(reservation instanceof Slot slot)) {
        return Future.succeededFuture(reservation);
      }
      long now = System.nanoTime();
      // The slot's delay was counted from Redis's clock when it granted the slot: what is left of it is the lag.
      observeLag(now - localNanos(slot.atMicros() - slot.delay().toNanos() / 1000));
      long waitNanos = localNanos(slot.atMicros()) - now;
      if (waitNanos <= 0) {
        return Future.succeededFuture(reservation);
      }
      Promise<Reservation> due = Promise.promise();
      // Rounded up: a timer that fires early would send before the slot. A timer to the microsecond
      // (vertx.timer in nanoseconds) sends 0.05 ms after the slot instead of 0.8 (p50), and took 0.6-0.9 ms off a
      // lightly loaded bot's p50, but twice cost 5% more CPU a message and 20% on p95 at --think 0 (docs/performance.md).
      vertx.setTimer((waitNanos + 999_999) / 1_000_000, id -> due.complete(reservation));
      return due.future();
    });
  }

  /**
   * How far ahead of Redis's clock the next slots are asked for: the lag answers have been reaching their
   * callers with, less half the lateness allowance (an answer may come that much after its slot), between
   * zero (a process that answers in time: slots start now) and {@link #MAX_LEAD}.
   */
  public synchronized Duration lead() {
    long leadMicros = lagMicros - LATENESS.toNanos() / 2000;
    return Duration.ofNanos(Math.max(0, Math.min(MAX_LEAD.toNanos() / 1000, leadMicros)) * 1000);
  }

  private synchronized void observeLag(long lagNanos) {
    long lag = Math.max(0, lagNanos / 1000);
    // Up in a few answers when the process gets busy (each miss costs a postponement), down over some
    // tens when it calms down (a lead too long only delays sends, it never crowds them).
    lagMicros += (lag - lagMicros) / (lag > lagMicros ? 4 : 32);
  }

  /** Whether a send now still fits its slot; false when it comes later than {@link #LATENESS} allows. */
  public boolean onTime(Slot slot) {
    return System.nanoTime() - localNanos(slot.atMicros()) <= LATENESS.toNanos();
  }

  /**
   * Before the first slot, a few round trips reading Redis's clock ({@code time.lua}, routed like the
   * slots' script) measure the clock offset, so that the first
   * slots are not timed by a slow first call (which also loads the script) and then shifted.
   */
  private synchronized Future<Void> calibrated() {
    if (calibration == null || calibration.failed()) {
      Future<Void> rounds = Future.succeededFuture();
      for (int i = 0; i < 5; i++) {
        rounds = rounds.compose(v -> {
          long sent = System.nanoTime();
          return scripts.run("time", key, List.of()).map(time -> {
            calibrate(time.get(0).toLong() * 1_000_000 + time.get(1).toLong(), sent, System.nanoTime());
            return null;
          });
        });
      }
      calibration = rounds;
    }
    return calibration;
  }

  /** A point of the Redis clock (microseconds since the epoch) on this process's {@link System#nanoTime} clock. */
  long localNanos(long redisMicros) {
    return (redisMicros - offsetMicros) * 1000;
  }

  private synchronized void calibrate(long redisNowMicros, long sentNanos, long receivedNanos) {
    long rtt = receivedNanos - sentNanos;
    if (rtt <= offsetRttNanos || receivedNanos - offsetMeasuredAt > OFFSET_MAX_AGE_NANOS) {
      offsetMicros = redisNowMicros - (sentNanos + rtt / 2) / 1000;
      offsetRttNanos = rtt;
      offsetMeasuredAt = receivedNanos;
    }
  }

}
