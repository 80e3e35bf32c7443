package io.wabot.queue;

import static io.wabot.queue.QueueHarness.job;
import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.WaitableList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QueueReliabilityTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  private QueueHarness harness;

  @BeforeEach
  void setUp() {
    harness = new QueueHarness(REDIS.url());
  }

  @AfterEach
  void tearDown() {
    harness.close();
  }

  /** Records what ran, and fails the test if two jobs of one conversation ever overlap. */
  static final class Recorder implements JobHandler {
    final Map<String, List<String>> processed = new ConcurrentHashMap<>();
    final WaitableList<String> finished = new WaitableList<>();
    final Set<String> busy = ConcurrentHashMap.newKeySet();
    final List<String> overlaps = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    final Vertx vertx;
    final int maxDelayMs;

    Recorder(Vertx vertx, int maxDelayMs) {
      this.vertx = vertx;
      this.maxDelayMs = maxDelayMs;
    }

    @Override
    public Future<JobOutcome> handle(Job job) {
      calls.incrementAndGet();
      if (!busy.add(job.conversationId())) {
        overlaps.add(job.id());
      }
      Promise<JobOutcome> done = Promise.promise();
      vertx.setTimer(1 + ThreadLocalRandom.current().nextInt(maxDelayMs), t -> {
        busy.remove(job.conversationId());
        processed.computeIfAbsent(job.conversationId(), c -> Collections.synchronizedList(new ArrayList<>())).add(job.id());
        finished.add(job.id());
        done.complete(JobOutcome.done());
      });
      return done.future();
    }

    int total() {
      return processed.values().stream().mapToInt(List::size).sum();
    }

    /** Waits until {@code n} jobs have finished running (their outcome is written just after). */
    void awaitFinished(int n, Duration timeout) {
      finished.awaitSize(n, timeout);
    }
  }

  static List<String> ids(String conversation, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(conversation + "-" + String.format("%03d", i));
    }
    return ids;
  }

  @Test
  @DisplayName("five consumers racing: each job runs once, a conversation's jobs in order and never two at once")
  void fifoUnderRace() throws Exception {
    Vertx vertx = harness.process();
    RedisJobQueue producer = harness.queue(vertx, Queues.INBOUND);
    Recorder recorder = new Recorder(vertx, 5);
    for (int c = 0; c < 5; c++) {
      harness.consumer(vertx, Queues.INBOUND, recorder, 4);
    }
    List<String> conversations = List.of("111111", "222222", "333333", "444444");
    for (int i = 0; i < 30; i++) {
      List<NewJob> batch = new ArrayList<>();
      for (String conversation : conversations) {
        batch.add(job(conversation + "-" + String.format("%03d", i), conversation));
      }
      await(producer.enqueue(batch));
    }

    recorder.awaitFinished(120, Duration.ofSeconds(20));
    // Once every job is acknowledged the queue holds nothing that could run again: a job claimed twice
    // would have started its second run (counted in calls) before its job was gone.
    poll("every job acknowledged").until(() -> await(producer.stats()).waiting() == 0);
    assertThat(recorder.calls.get()).as("nothing ran twice").isEqualTo(120);
    assertThat(recorder.total()).as("nothing ran twice").isEqualTo(120);
    assertThat(recorder.overlaps).as("jobs of one conversation never overlapped").isEmpty();
    for (String conversation : conversations) {
      assertThat(recorder.processed.get(conversation)).containsExactlyElementsOf(ids(conversation, 30));
    }
  }

  @Test
  @DisplayName("different conversations are processed in parallel")
  void parallelAcrossConversations() throws Exception {
    Vertx vertx = harness.process();
    Promise<Void> bStarted = Promise.promise();
    WaitableList<String> order = new WaitableList<>();
    JobHandler handler = job -> {
      if (job.conversationId().equals("777777")) {
        // A finishes only after B has started: possible only if they run at the same time.
        return bStarted.future().map(v -> {
          order.add("A");
          return JobOutcome.done();
        });
      }
      order.add("B");
      bStarted.tryComplete();
      return Future.succeededFuture(JobOutcome.done());
    };
    harness.consumer(vertx, Queues.INBOUND, handler, 4);
    RedisJobQueue queue = harness.queue(vertx, Queues.INBOUND);
    await(queue.enqueue(List.of(job("a1", "777777"), job("b1", "888888"))));
    assertThat(order.awaitSize(2)).containsExactly("B", "A");
  }

  @Test
  @DisplayName("a worker that dies mid-job: its lease expires and the job runs again elsewhere, once")
  void deadWorker() throws Exception {
    Vertx survivor = harness.process();
    harness.maintenance(survivor);
    RedisJobQueue queue = harness.queue(survivor, Queues.INBOUND);

    Vertx doomed = Vertx.vertx();
    WaitableList<String> doomedRuns = new WaitableList<>();
    harness.consumer(doomed, Queues.INBOUND, job -> {
      doomedRuns.add(job.id());
      return Promise.<JobOutcome>promise().future(); // never finishes
    }, 1);
    await(queue.enqueue(List.of(job("k1", "555555"), job("k2", "555555"))));
    doomedRuns.awaitSize(1);
    await(doomed.close()); // the process dies: no outcome, no hand-back, heartbeats stop

    Recorder recorder = new Recorder(survivor, 3);
    harness.consumer(survivor, Queues.INBOUND, recorder, 2);
    recorder.awaitFinished(2, Duration.ofSeconds(10));
    assertThat(recorder.processed.get("555555")).containsExactly("k1", "k2");
    assertThat(doomedRuns).containsExactly("k1");
  }

  @Test
  @DisplayName("a job that keeps killing its worker goes to the dead-letter queue after the maximum attempts")
  void poisonJob() throws Exception {
    Vertx vertx = harness.process();
    harness.maintenance(vertx);
    RedisJobQueue queue = harness.queue(vertx, Queues.INBOUND);
    await(queue.enqueue(List.of(job("poison", "666666"), job("after", "666666"))));
    for (int i = 0; i < 3; i++) {
      // Each claim stands for a worker that takes the job and dies.
      // The reaper returns the conversation once the lease is over: only Redis knows when.
      poll("the poison job to be claimable again").atMost(Duration.ofSeconds(10))
          .until(() -> await(queue.claim("doomed-" + System.nanoTime())) instanceof RedisJobQueue.Claimed);
    }
    Recorder recorder = new Recorder(vertx, 2);
    harness.consumer(vertx, Queues.INBOUND, recorder, 1);
    recorder.awaitFinished(1, Duration.ofSeconds(10));
    assertThat(recorder.processed.get("666666")).containsExactly("after");
    DeadJob dead = await(queue.deadLetter("poison")).orElseThrow();
    assertThat(dead.reason()).startsWith("abandoned 3 times");
    assertThat(dead.attempts()).isEqualTo(4);
  }

  @Test
  @DisplayName("a failing job is retried with back-off, dead-lettered after the maximum attempts, and replayed")
  void retryThenDeadLetterThenReplay() throws Exception {
    Vertx vertx = harness.process();
    harness.maintenance(vertx);
    RedisJobQueue queue = harness.queue(vertx, Queues.OUTBOUND);
    AtomicInteger attempts = new AtomicInteger();
    WaitableList<String> done = new WaitableList<>();
    boolean[] healthy = {false};
    harness.consumer(vertx, Queues.OUTBOUND, job -> {
      if (!healthy[0]) {
        attempts.incrementAndGet();
        return Future.succeededFuture(JobOutcome.retry("Graph API answered 500"));
      }
      done.add(job.id());
      return Future.succeededFuture(JobOutcome.done());
    }, 1);
    await(queue.enqueue(List.of(job("r1", "121212"))));

    poll("r1 dead-lettered").until(() -> await(queue.deadLetter("r1")).isPresent());
    assertThat(attempts.get()).isEqualTo(3);
    DeadJob dead = await(queue.deadLetter("r1")).orElseThrow();
    assertThat(dead.reason()).isEqualTo("failed 3 attempts; last error: Graph API answered 500");
    assertThat(await(queue.deadLetters(0, 10))).extracting(DeadJob::id).containsExactly("r1");
    assertThat(await(queue.stats()).deadLetters()).isEqualTo(1);

    healthy[0] = true;
    assertThat(await(queue.replay("r1"))).isTrue();
    done.await("r1"::equals);
    assertThat(await(queue.stats()).deadLetters()).isZero();
    assertThat(await(queue.replay("r1"))).isFalse();
  }

  /** A process of a harness whose queue.maxRunTime is one second (its smallest), the in-doubt grace below it. */
  private Vertx processWithMaxRunTimeOfOneSecond() {
    harness.close();
    JsonObject overrides = QueueHarness.FAST.copy();
    overrides.getJsonObject("queue").put("maxRunTime", "1s");
    overrides.put("sender", new JsonObject().put("inDoubtGrace", "100ms"));
    harness = new QueueHarness(REDIS.url(), overrides);
    return harness.process();
  }

  @Test
  @DisplayName("a handler that outruns queue.maxRunTime is retried in doubt: what it may still do outside Redis is unknown")
  void overrunRetriedInDoubt() {
    Vertx vertx = processWithMaxRunTimeOfOneSecond();
    harness.maintenance(vertx);
    WaitableList<Job> claims = new WaitableList<>();
    harness.consumer(vertx, Queues.OUTBOUND, job -> {
      claims.add(job);
      // The first attempt never ends (a request that hangs); the next one is done at once.
      return job.attempts() == 1 ? Promise.<JobOutcome>promise().future() : Future.succeededFuture(JobOutcome.done());
    }, 1);

    await(harness.queue(vertx, Queues.OUTBOUND).enqueue(List.of(job("o1", "131313"))));

    Job again = claims.await(job -> job.attempts() == 2);
    assertThat(again.inDoubt()).as("the overrun attempt may still have sent").isTrue();
    assertThat(claims.awaitSize(2).get(0).inDoubt()).isFalse();
  }

  @Test
  @DisplayName("a handler whose work is bounded by a longer setting of its own (a media download) is given that long:"
      + " its job is not started again beside it")
  void handlersOwnRunTime() {
    Vertx vertx = processWithMaxRunTimeOfOneSecond();
    harness.maintenance(vertx);
    WaitableList<Job> claims = new WaitableList<>();
    WaitableList<String> done = new WaitableList<>();
    harness.consumer(vertx, Queues.MEDIA, new JobHandler() {
      @Override
      public Future<JobOutcome> handle(Job job) {
        claims.add(job);
        // Twice queue.maxRunTime: a consumer that gave up at 1 s would have claimed the job again by now.
        Promise<JobOutcome> slow = Promise.promise();
        vertx.setTimer(2_000, id -> {
          done.add(job.id());
          slow.complete(JobOutcome.done());
        });
        return slow.future();
      }

      @Override
      public Duration maxRunTime(Duration configured) {
        return Duration.ofSeconds(5);
      }
    }, 1);

    await(harness.queue(vertx, Queues.MEDIA).enqueue(List.of(job("m1", "141414"))));

    done.await("m1"::equals);
    poll("the job acknowledged").until(() -> await(harness.queue(vertx, Queues.MEDIA).stats()).waiting() == 0);
    assertThat(claims).as("claims of the job").hasSize(1);
  }

  @Test
  @DisplayName("postponed jobs keep their attempts; a paused queue hands out nothing until the pause ends")
  void postponeAndPause() throws Exception {
    Vertx vertx = harness.process();
    harness.maintenance(vertx);
    RedisJobQueue queue = harness.queue(vertx, Queues.OUTBOUND);
    WaitableList<Integer> seenAttempts = new WaitableList<>();
    harness.consumer(vertx, Queues.OUTBOUND, job -> {
      seenAttempts.add(job.attempts());
      return Future.succeededFuture(seenAttempts.size() < 5
          ? JobOutcome.postpone(Duration.ofMillis(10), "circuit open") : JobOutcome.done());
    }, 1);
    await(queue.enqueue(List.of(job("p1", "131313"))));
    assertThat(seenAttempts.awaitSize(5)).as("postponing never uses up attempts").containsOnly(1);

    await(queue.pause(Duration.ofMillis(800)));
    long pausedAt = System.nanoTime();
    await(queue.enqueue(List.of(job("p2", "141414"))));
    assertThat(await(queue.pausedFor())).isPositive();
    seenAttempts.awaitSize(6);
    assertThat(Duration.ofNanos(System.nanoTime() - pausedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
  }

  @Test
  @DisplayName("a commit's state and follow-up jobs are applied with the ack, and not at all when the lease was lost")
  void commitIsAtomic() throws Exception {
    Vertx vertx = harness.process();
    RedisJobQueue inbound = harness.queue(vertx, Queues.INBOUND);
    RedisJobQueue outbound = harness.queue(vertx, Queues.OUTBOUND);
    await(inbound.enqueue(List.of(job("in-1", "151515"), job("in-2", "151515"))));

    Job first = ((RedisJobQueue.Claimed) await(inbound.claim("me"))).job();
    Commit commit = Commit.none().put("state:151515", "{\"step\":\"menu\"}", Duration.ofHours(1))
        .enqueue(Queues.OUTBOUND, job("in-1:r0", "151515")).enqueue(Queues.OUTBOUND, job("in-1:r1", "151515"));
    assertThat(await(inbound.ack(first, commit))).isTrue();
    assertThat(REDIS.server().command("GET", "wabot:{bot}:state:151515")).isEqualTo("{\"step\":\"menu\"}");
    assertThat(await(outbound.stats()).waiting()).isEqualTo(2);

    // Running the same flow again (a redelivery after a crash) stores no second copy of its replies.
    await(inbound.enqueue(List.of(job("in-1", "151515"))));
    Job second = ((RedisJobQueue.Claimed) await(inbound.claim("me"))).job();
    assertThat(second.id()).isEqualTo("in-2");
    inbound.forget(second); // as if the lease had expired and another consumer took over
    assertThat(await(inbound.ack(second, Commit.none().put("state:151515", "lost", null)))).isFalse();
    assertThat(REDIS.server().command("GET", "wabot:{bot}:state:151515")).isEqualTo("{\"step\":\"menu\"}");
    assertThat(await(outbound.stats()).waiting()).isEqualTo(2);
  }

  @Test
  @DisplayName("Redis killed and restarted with AOF: nothing is lost and consumers reconnect on their own")
  void redisRestart() throws Exception {
    Vertx vertx = harness.process();
    harness.maintenance(vertx);
    RedisJobQueue queue = harness.queue(vertx, Queues.INBOUND);
    Recorder recorder = new Recorder(vertx, 2);
    harness.consumer(vertx, Queues.INBOUND, recorder, 2);
    harness.consumer(vertx, Queues.INBOUND, recorder, 2);

    await(queue.enqueue(List.of(job("before-0", "161616"), job("before-1", "171717"))));
    recorder.awaitFinished(2, Duration.ofSeconds(10));
    // A finished handler's outcome is written just after: kill Redis only once both acks are in, or the
    // restart rightly runs an unacknowledged job again and the expected order gains a repeat.
    poll("both acks written").until(() -> await(queue.stats()).inFlight() == 0 && await(queue.stats()).waiting() == 0);

    REDIS.server().kill();
    assertThat(queue.enqueue(List.of(job("lost?", "161616"))).toCompletionStage().toCompletableFuture()
        .handle((ok, e) -> e != null).get()).as("enqueue fails while Redis is down").isTrue();

    REDIS.server().start();
    List<NewJob> after = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      after.add(job("after-" + i, i % 2 == 0 ? "161616" : "171717"));
    }
    await(queue.enqueue(after));
    recorder.awaitFinished(12, Duration.ofSeconds(15));
    assertThat(recorder.processed.get("161616")).containsExactly("before-0", "after-0", "after-2", "after-4", "after-6",
        "after-8");
  }

  @Test
  @DisplayName("when Redis forgets the scripts (NOSCRIPT, as after a restart) the queue sends them again")
  void scriptCacheFlushed() {
    Vertx vertx = harness.process();
    RedisJobQueue queue = harness.queue(vertx, Queues.INBOUND);
    await(queue.enqueue(List.of(job("s1", "191919"))));
    REDIS.server().command("SCRIPT", "FLUSH");
    assertThat(REDIS.server().command("SCRIPT", "EXISTS", "0000000000000000000000000000000000000000")).isNotNull();
    assertThat(await(queue.enqueue(List.of(job("s2", "191919"))))).containsExactly("s2");
    assertThat(await(queue.stats()).waiting()).isEqualTo(2);
  }

  @Test
  @DisplayName("jobs stored before a Redis crash survive it (AOF) and are processed after the restart")
  void jobsSurviveRedisCrash() throws Exception {
    Vertx vertx = harness.process();
    RedisJobQueue queue = harness.queue(vertx, Queues.INBOUND);
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      jobs.add(job("crash-" + String.format("%03d", i), "181818"));
    }
    await(queue.enqueue(jobs));
    REDIS.server().kill();
    REDIS.server().start();

    harness.maintenance(vertx);
    Recorder recorder = new Recorder(vertx, 2);
    harness.consumer(vertx, Queues.INBOUND, recorder, 2);
    recorder.awaitFinished(20, Duration.ofSeconds(15));
    assertThat(recorder.processed.get("181818")).containsExactlyElementsOf(ids("crash", 20));
  }
}
