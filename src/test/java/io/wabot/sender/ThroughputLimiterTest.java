package io.wabot.sender;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.Request;
import io.wabot.queue.ScriptRunner;
import io.wabot.testing.CommandStats;
import io.wabot.testing.RedisExtension;
import io.wabot.sender.ThroughputLimiter.Full;
import io.wabot.sender.ThroughputLimiter.Reservation;
import io.wabot.sender.ThroughputLimiter.Slot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(VertxExtension.class)
class ThroughputLimiterTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String KEY = "wabot:{bot}:ratelimit:106540352242922";

  Vertx vertx;
  List<Redis> clients = new ArrayList<>();

  /** The extension closes {@code vertx} after each test. */
  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
  }

  @AfterEach
  void stop() {
    clients.forEach(Redis::close);
  }

  ThroughputLimiter limiter(int perSecond) {
    Redis redis = Redis.createClient(vertx, REDIS.url());
    clients.add(redis);
    return new ThroughputLimiter(vertx, redis, Duration.ofSeconds(2), KEY, perSecond);
  }

  /**
   * Runs {@code workers} concurrent takers on {@code limiter} until {@code left} runs out. {@code take} looks at
   * each reservation: it records what counts and returns 0, or returns how many ms to wait before acquiring again.
   */
  Future<Void> run(ThroughputLimiter limiter, AtomicInteger left, int workers, ToLongFunction<Reservation> take) {
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      Promise<Void> done = Promise.promise();
      next(limiter, left, take, done);
      all.add(done.future());
    }
    return Future.all(all).mapEmpty();
  }

  private void next(ThroughputLimiter limiter, AtomicInteger left, ToLongFunction<Reservation> take, Promise<Void> done) {
    if (left.getAndDecrement() <= 0) {
      done.complete();
    } else {
      acquire(limiter, left, take, done);
    }
  }

  private void acquire(ThroughputLimiter limiter, AtomicInteger left, ToLongFunction<Reservation> take, Promise<Void> done) {
    limiter.acquire().onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
        return;
      }
      long retryMs = take.applyAsLong(ar.result());
      if (retryMs == 0) {
        next(limiter, left, take, done);
      } else {
        vertx.setTimer(retryMs, id -> acquire(limiter, left, take, done));
      }
    });
  }

  /** Takes every slot granted, retrying while the budget is full. */
  static long takeSlot(Reservation reservation, List<Long> slots) {
    if (reservation instanceof Slot slot) {
      slots.add(slot.atMicros());
      return 0;
    }
    return Math.max(1, ((Full) reservation).retryIn().toMillis() / 2);
  }

  /** Like the sender: sends (records the time) only when still on time for the slot. */
  static long sendIfOnTime(ThroughputLimiter limiter, Reservation reservation, List<Long> sends) {
    if (reservation instanceof Slot slot && limiter.onTime(slot)) {
      sends.add(System.nanoTime());
      return 0;
    }
    return 50;
  }

  @Test
  @DisplayName("a burst of 300 from two processes sharing the budget never gets more than 80 slots in any second")
  void burstSharedByTwoProcesses() {
    ThroughputLimiter first = limiter(80);
    ThroughputLimiter second = limiter(80);
    AtomicInteger left = new AtomicInteger(300);
    List<Long> slots = new CopyOnWriteArrayList<>();
    long start = System.nanoTime();

    await(Future.all(run(first, left, 20, r -> takeSlot(r, slots)), run(second, left, 20, r -> takeSlot(r, slots))),
        Duration.ofSeconds(20));

    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    List<Long> sorted = slots.stream().sorted().toList();
    assertThat(sorted).hasSize(300).doesNotHaveDuplicates();
    for (int i = 0; i + 80 < sorted.size(); i++) {
      assertThat(sorted.get(i + 80) - sorted.get(i)).as("81 consecutive slots span at least 1 s").isGreaterThanOrEqualTo(1_000_000);
    }
    for (int i = 1; i < sorted.size(); i++) {
      assertThat(sorted.get(i) - sorted.get(i - 1)).isGreaterThanOrEqualTo(12_500);
    }
    assertThat(elapsedMs).as("300 slots at 80/s take about 3.7 s").isGreaterThanOrEqualTo(3_700);
  }

  @Test
  @DisplayName("sends made when acquire() completes, skipping late slots, never exceed 80 in any second of local time")
  void sendTimes() {
    ThroughputLimiter first = limiter(80);
    ThroughputLimiter second = limiter(80);
    AtomicInteger left = new AtomicInteger(240);
    List<Long> sends = new CopyOnWriteArrayList<>();

    await(Future.all(run(first, left, 16, r -> sendIfOnTime(first, r, sends)),
        run(second, left, 16, r -> sendIfOnTime(second, r, sends))), Duration.ofSeconds(20));

    List<Long> sorted = sends.stream().sorted().toList();
    assertThat(sorted).hasSize(240);
    for (int i = 0; i + 80 < sorted.size(); i++) {
      assertThat(sorted.get(i + 80) - sorted.get(i)).as("81 consecutive sends span at least 1 s")
          .isGreaterThanOrEqualTo(1_000_000_000L);
    }
  }

  @Test
  @DisplayName("slots are not reserved more than two seconds ahead: beyond that the budget is full and nothing is taken")
  void fullBeyondMaxWait() {
    ThroughputLimiter limiter = limiter(5);
    List<Reservation> reservations = new ArrayList<>();
    while (reservations.size() < 15 && (reservations.isEmpty() || reservations.get(reservations.size() - 1) instanceof Slot)) {
      reservations.add(await(limiter.reserve()));
    }

    // 5 a second: slots 206 ms apart (200 ms plus the lateness and jitter allowances spread over the
    // second), so ten fit in the two seconds ahead (eleven if the calls themselves took a while).
    assertThat(limiter.interval()).isEqualTo(Duration.ofMillis(206));
    List<Reservation> slots = reservations.subList(0, reservations.size() - 1);
    assertThat(slots).hasSizeBetween(10, 11).allSatisfy(r -> assertThat(r).isInstanceOf(Slot.class));
    assertThat(((Slot) slots.get(slots.size() - 1)).delay()).isLessThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(reservations.get(reservations.size() - 1)).isInstanceOfSatisfying(Full.class,
        full -> assertThat(full.retryIn()).isGreaterThan(Duration.ofSeconds(2)));
    assertThat(await(limiter.reserve())).isInstanceOf(Full.class);
  }

  /** How many times the limiter's script has run on the test's Redis (INFO commandstats). */
  long scriptRuns() {
    Map<String, Long> calls = CommandStats.calls(await(clients.get(0).send(Request.cmd(Command.INFO).arg("commandstats"))).toString());
    return calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("eval", 0L);
  }

  @Test
  @DisplayName("callers waiting at once share one Redis call: 200 sends take their slots, distinct and spaced, in a few calls")
  void waitingCallersShareACall() {
    ThroughputLimiter limiter = limiter(1000);
    await(limiter.reserve());
    long before = scriptRuns();

    List<Reservation> all = await(Future.future(done -> vertx.runOnContext(v -> {
      List<Future<Reservation>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(limiter.reserve());
      }
      Future.all(calls).map(f -> f.<Reservation>list()).onComplete(done);
    })));

    long runs = scriptRuns() - before;
    // The first caller's call goes out alone; the 199 that came meanwhile share the next ones, 64 at most each.
    assertThat(runs).as("script runs for 200 slots").isBetween(4L, 12L);
    List<Long> slots = all.stream().map(r -> ((Slot) r).atMicros()).sorted().toList();
    assertThat(slots).hasSize(200).doesNotHaveDuplicates();
    for (int i = 1; i < slots.size(); i++) {
      assertThat(slots.get(i) - slots.get(i - 1)).as("slots an interval apart").isGreaterThanOrEqualTo(1_030);
    }
  }

  @Test
  @DisplayName("slots asked for together (a reply and its read receipt) are taken in one Redis call, consecutive")
  void togetherOneCall() {
    ThroughputLimiter limiter = limiter(1000);
    await(limiter.reserve());
    long before = scriptRuns();

    List<Reservation> both = await(Future.future(done -> vertx.runOnContext(v -> limiter.together(() ->
        Future.all(limiter.reserve(), limiter.reserve())).map(f -> f.<Reservation>list()).onComplete(done))));

    assertThat(scriptRuns() - before).as("script runs for the two slots").isEqualTo(1L);
    assertThat(((Slot) both.get(1)).atMicros() - ((Slot) both.get(0)).atMicros()).isEqualTo(1_030L);
  }

  @Test
  @DisplayName("a shared call grants only the slots within two seconds; the callers beyond are told the budget is full")
  void sharedCallPartlyGranted() {
    ThroughputLimiter limiter = limiter(5);
    List<Reservation> all = await(Future.future(done -> vertx.runOnContext(v -> {
      List<Future<Reservation>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        calls.add(limiter.reserve());
      }
      Future.all(calls).map(f -> f.<Reservation>list()).onComplete(done);
    })));

    List<Reservation> granted = all.stream().filter(r -> r instanceof Slot).toList();
    assertThat(granted).hasSizeBetween(10, 11).allSatisfy(r -> assertThat(((Slot) r).delay()).isLessThanOrEqualTo(Duration.ofSeconds(2)));
    assertThat(all.subList(granted.size(), all.size())).as("in the order asked: the first callers get the slots")
        .hasSize(20 - granted.size())
        .allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(Full.class, f -> assertThat(f.retryIn()).isGreaterThan(Duration.ofSeconds(2))));
  }

  @Test
  @DisplayName("a caller whose event loop is 40 ms behind misses its first slots, then gets slots that far ahead and sends on time; once it keeps up, slots start now again")
  void busyCallerAsksAhead() {
    ThroughputLimiter limiter = limiter(1000);
    await(limiter.reserve()); // calibrated: the first acquire() below is one Redis call
    Context busy = vertx.getOrCreateContext();
    List<Boolean> onTime = new ArrayList<>();
    List<Long> slots = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Slot slot = (Slot) await(Future.<Reservation>future(taken -> busy.runOnContext(v -> {
        limiter.acquire().onComplete(taken);
        // The event loop is busy with other work before it can see the answer, as under a saturated CPU.
        long until = System.nanoTime() + 40_000_000L;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      })));
      onTime.add(limiter.onTime(slot));
      slots.add(slot.atMicros());
    }

    assertThat(onTime.get(0)).as("the first answer comes 40 ms after its slot of now").isFalse();
    // Most, not all: a loaded machine may still let one of them come more than 7.5 ms after the lag it learned.
    assertThat(onTime.subList(20, 30).stream().filter(t -> t).count()).as("on time among the last ten, asked ahead: %s", onTime)
        .isGreaterThanOrEqualTo(8);
    // About the 40 ms the loop is late, less half the allowance; a loaded machine adds its own lateness on top.
    assertThat(limiter.lead()).isBetween(Duration.ofMillis(20), Duration.ofMillis(60));
    for (int i = 1; i < slots.size(); i++) {
      assertThat(slots.get(i) - slots.get(i - 1)).as("slots still an interval apart").isGreaterThanOrEqualTo(1_030);
    }

    int calm = 0;
    while (!limiter.lead().isZero() && calm < 300) {
      assertThat(await(limiter.acquire())).isInstanceOf(Slot.class);
      calm++;
    }
    assertThat(limiter.lead()).as("no lead after %d answers in time", calm).isZero();
  }

  @Test
  @DisplayName("acquire() completes at its slot, never before it (printed: how long after it)")
  void neverBeforeTheSlot() {
    ThroughputLimiter limiter = limiter(1000);
    AtomicInteger left = new AtomicInteger(300);
    List<Long> early = new CopyOnWriteArrayList<>();
    List<Long> after = new CopyOnWriteArrayList<>();

    await(run(limiter, left, 4, reservation -> {
      long now = System.nanoTime();
      if (!(reservation instanceof Slot slot)) {
        return 1;
      }
      // The clock offset may be measured again between the grant and now: a few microseconds either way.
      long lateBy = now - limiter.localNanos(slot.atMicros());
      (lateBy < -100_000 ? early : after).add(lateBy);
      return 0;
    }), Duration.ofSeconds(20));

    assertThat(early).as("sends let go more than 0.1 ms before their slot (ns)").isEmpty();
    List<Long> sorted = after.stream().sorted().toList();
    System.out.printf("acquire() after its slot: p50 %.3f ms, p99 %.3f ms (%d slots at 1,000/s)%n",
        sorted.get(sorted.size() / 2) / 1e6, sorted.get(sorted.size() * 99 / 100) / 1e6, sorted.size());
  }

  @Test
  @DisplayName("a slot costs one Redis round trip (printed: the latency the limiter adds before a send)")
  void cost() {
    ThroughputLimiter limiter = limiter(1000);
    await(limiter.reserve());
    long[] nanos = new long[500];
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      assertThat(await(limiter.reserve())).isInstanceOf(Slot.class);
      nanos[i] = System.nanoTime() - start;
    }
    java.util.Arrays.sort(nanos);
    System.out.printf("limiter reserve(): p50 %.2f ms, p99 %.2f ms (500 calls, including the test thread's hand-off)%n",
        nanos[250] / 1e6, nanos[495] / 1e6);
  }

  @Test
  @DisplayName("an idle limiter grants at once, and the script is loaded again after Redis restarts")
  void idleAndRestart() {
    ThroughputLimiter limiter = limiter(80);
    assertThat(await(limiter.reserve())).isInstanceOfSatisfying(Slot.class, s -> assertThat(s.delay()).isZero());

    REDIS.server().stop();
    REDIS.server().start();

    Reservation after = await(limiter.reserve().recover(e -> limiter.reserve()));
    assertThat(after).isInstanceOf(Slot.class);
  }

  @Test
  @DisplayName("the slots a busy caller's lead skips stay free: callers without a lead take them instead of waiting it out, every slot stays an interval apart, and a pause gives them up")
  void skippedSlotsStayFree() {
    Redis redis = Redis.createClient(vertx, REDIS.url());
    clients.add(redis);
    ScriptRunner scripts = new ScriptRunner(redis, Duration.ofSeconds(2));
    String key = "wabot:{bot}:ratelimit:lead-gap";
    long interval = limiter(1000).interval().toNanos() / 1000;
    java.util.function.BiFunction<Integer, Long, Response> take = (count, leadMicros) -> take(scripts, key, interval, count,
        leadMicros);

    Response busy = take.apply(1, 200_000L);
    assertThat(busy.get(1).toLong()).as("the busy caller's wait").isGreaterThanOrEqualTo(200_000);
    Response unlagged = take.apply(5, 0L);
    assertThat(unlagged.get(0).toInteger()).isEqualTo(5);
    assertThat(unlagged.get(1).toLong()).as("a caller without a lead waits").isLessThan(100_000);
    assertThat(Long.parseLong(unlagged.get(2).toString()) + 5 * interval).isLessThanOrEqualTo(Long.parseLong(busy.get(2).toString()));

    // Callers with and without leads, in batches: whatever comes from the gap or after it, no two slots are closer
    // than the interval.
    java.util.Random random = new java.util.Random(7);
    List<Long> slots = new ArrayList<>();
    slots.add(Long.parseLong(busy.get(2).toString()));
    for (int i = 0; i < 5; i++) {
      slots.add(Long.parseLong(unlagged.get(2).toString()) + i * interval);
    }
    int fromTheGap = 0;
    for (int call = 0; call < 300; call++) {
      long lead = random.nextInt(4) == 0 ? 50_000L + random.nextInt(150_000) : 0;
      int count = 1 + random.nextInt(6);
      Response granted = take.apply(count, lead);
      long first = Long.parseLong(granted.get(2).toString());
      for (int i = 0; i < granted.get(0).toInteger(); i++) {
        slots.add(first + i * interval);
      }
      if (lead == 0 && granted.get(1).toLong() < 20_000) {
        fromTheGap++;
      }
    }
    java.util.Collections.sort(slots);
    for (int i = 1; i < slots.size(); i++) {
      assertThat(slots.get(i) - slots.get(i - 1)).as("slots %d and %d apart", i - 1, i).isGreaterThanOrEqualTo(interval);
    }
    assertThat(fromTheGap).as("callers without a lead served within 20 ms").isPositive();

    String paused = "wabot:{bot}:ratelimit:lead-gap-paused";
    take(scripts, paused, interval, 1, 150_000L); // skips 150 ms of slots
    await(scripts.run("throughput_pause", paused, List.of("1000000")));
    assertThat(take(scripts, paused, interval, 1, 0L).get(1).toLong()).as("the wait after a 1 s pause").isGreaterThanOrEqualTo(950_000);
  }

  private static Response take(ScriptRunner scripts, String key, long intervalMicros, int count, long leadMicros) {
    return await(scripts.run("throughput", key, List.of(Long.toString(intervalMicros), "2000000", Integer.toString(count),
        Long.toString(leadMicros))));
  }
}
