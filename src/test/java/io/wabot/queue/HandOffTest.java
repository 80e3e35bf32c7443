package io.wabot.queue;

import static io.wabot.queue.QueueHarness.job;
import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.wabot.observability.MetricNames;
import io.wabot.observability.Metrics;
import io.wabot.redis.RedisClients;
import io.wabot.testing.CommandStats;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.WaitableList;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A producer that stores a job while a consumer of its queue runs in the same process hands the job straight to
 * it: the storing script leases it, no claim, no ready list. Order, one job at a time per conversation, the
 * consumer's limits and a crash are what the claim path guarantees; these tests hold the hand-off to them.
 */
class HandOffTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  private final QueueHarness harness = new QueueHarness(REDIS.url());
  private final List<Vertx> processes = new ArrayList<>();

  @AfterEach
  void tearDown() {
    harness.close();
    processes.forEach(Metrics::unbind);
  }

  /** A process with a registry of its own, so that its hand-offs are counted apart from other tests'. */
  private Vertx process() {
    Vertx vertx = harness.process();
    Metrics.bind(vertx, new SimpleMeterRegistry());
    processes.add(vertx);
    return vertx;
  }

  /** Starts a consumer and waits until it has claimed what there was and offers its slots to hand-offs. */
  private QueueConsumer idleConsumer(Vertx vertx, String queue, JobHandler handler, int concurrency) {
    QueueConsumer consumer = harness.consumer(vertx, queue, handler, concurrency);
    poll("the %s consumer to offer its slots", queue).until(() -> consumer.freeForHandOff() > 0);
    return consumer;
  }

  /** Records the jobs it runs, in order, and any two of one conversation that overlap. */
  static final class Recorder implements JobHandler {
    final WaitableList<Job> runs = new WaitableList<>();
    final Set<String> busy = ConcurrentHashMap.newKeySet();
    final List<String> overlaps = new CopyOnWriteArrayList<>();
    final Vertx vertx;

    Recorder(Vertx vertx) {
      this.vertx = vertx;
    }

    @Override
    public Future<JobOutcome> handle(Job job) {
      if (!busy.add(job.conversationId())) {
        overlaps.add(job.id());
      }
      Promise<JobOutcome> done = Promise.promise();
      vertx.setTimer(2, t -> {
        busy.remove(job.conversationId());
        runs.add(job);
        done.complete(JobOutcome.done());
      });
      return done.future();
    }
  }

  private static double handOffs(Vertx vertx, String queue) {
    Counter counter = Metrics.registry(vertx).find(MetricNames.JOB_HANDOFFS).tag("queue", queue).counter();
    return counter == null ? 0 : counter.count();
  }

  private Response redis(Vertx vertx, Request request) {
    Redis client = RedisClients.pooled(vertx, harness.config.redis());
    try {
      return await(client.send(request));
    } finally {
      client.close();
    }
  }

  /** How many times Redis ran a command, from INFO commandstats (0 when it never did). */
  private long calls(Vertx vertx, String command) {
    return CommandStats.calls(redis(vertx, Request.cmd(Command.INFO).arg("commandstats")).toString()).getOrDefault(command, 0L);
  }

  /** The token an outbound job is leased to: its job's {@code lease} field, "" when it has none. */
  private String lease(Vertx vertx, String id) {
    Response lease = redis(vertx, Request.cmd(Command.HGET).arg("wabot:{bot}:outbound:job:" + id).arg("lease"));
    return lease == null ? "" : lease.toString();
  }

  private List<String> ready(Vertx vertx, String queue) {
    List<String> out = new ArrayList<>();
    for (Response cid : redis(vertx, Request.cmd(Command.LRANGE).arg("wabot:{bot}:" + queue + ":ready").arg(0).arg(-1))) {
      out.add(cid.toString());
    }
    return out;
  }

  @Test
  @DisplayName("a job stored while a consumer of its queue runs here is leased to it by the storing script: run once, no claim")
  void storedJobIsHandedOff() {
    Vertx vertx = process();
    Recorder recorder = new Recorder(vertx);
    idleConsumer(vertx, Queues.OUTBOUND, recorder, 4);
    RedisJobQueue queue = harness.queue(vertx, Queues.OUTBOUND);
    long readySets = calls(vertx, "sadd");
    long claimsBefore = calls(vertx, "srem");

    assertThat(await(queue.enqueue(List.of(job("h1", "111111"))))).containsExactly("h1");

    Job ran = recorder.runs.awaitSize(1).get(0);
    assertThat(ran.id()).isEqualTo("h1");
    assertThat(ran.attempts()).isEqualTo(1);
    assertThat(ran.inDoubt()).isFalse();
    assertThat(ran.payload().getString("n")).isEqualTo("h1");
    poll("h1 acknowledged").until(() -> await(queue.stats()).waiting() == 0 && await(queue.stats()).inFlight() == 0);
    assertThat(handOffs(vertx, Queues.OUTBOUND)).isEqualTo(1);
    // Neither made ready (SADD to the ready set) nor claimed (a claim takes its conversation out of it: SREM).
    assertThat(calls(vertx, "sadd")).isEqualTo(readySets);
    assertThat(calls(vertx, "srem")).isEqualTo(claimsBefore);
    // Stored once: the same id again is refused, and nothing runs twice.
    assertThat(await(queue.enqueue(List.of(job("h1", "111111"))))).isEmpty();
    assertThat(recorder.runs).hasSize(1);
  }

  /** A value that only Jackson knows how to write (a JsonObject's copy refuses it). */
  record Sku(String code, int stock) {
  }

  @Test
  @DisplayName("a handed-off job runs with its payload as stored: the producer's later changes to its object do not reach it, "
      + "and a value only Jackson can write arrives as the JSON stored")
  void handedPayloadIsAsStored() {
    Vertx vertx = process();
    Recorder recorder = new Recorder(vertx);
    idleConsumer(vertx, Queues.OUTBOUND, recorder, 4);
    RedisJobQueue queue = harness.queue(vertx, Queues.OUTBOUND);
    JsonObject payload = new JsonObject().put("n", "p1").put("items", new JsonArray().add(1))
        .put("nested", new JsonObject().put("k", "v"));
    JsonObject asStored = payload.copy();

    Future<List<String>> stored = queue.enqueue(List.of(new NewJob("p1", "555555", payload)));
    // The script's answer has not come back yet: the hand-off is built from it, after these changes.
    payload.put("n", "changed");
    payload.getJsonArray("items").add(2);
    payload.getJsonObject("nested").put("k", "changed");
    assertThat(await(stored)).containsExactly("p1");

    Job ran = recorder.runs.awaitSize(1).get(0);
    assertThat(handOffs(vertx, Queues.OUTBOUND)).isEqualTo(1);
    assertThat(ran.payload()).isEqualTo(asStored);
    assertThat(ran.payload()).isNotSameAs(payload);

    JsonObject withRecord = new JsonObject().put("n", "p2").put("sku", new Sku("A-1", 3));
    assertThat(await(queue.enqueue(List.of(new NewJob("p2", "666666", withRecord))))).containsExactly("p2");
    Job second = recorder.runs.awaitSize(2).get(1);
    assertThat(handOffs(vertx, Queues.OUTBOUND)).isEqualTo(2);
    assertThat(second.payload()).isEqualTo(new JsonObject().put("n", "p2").put("sku", new JsonObject().put("code", "A-1").put("stock", 3)));
  }

  @Test
  @DisplayName("several jobs of one conversation in one store: the first is handed off, the rest follow it in order, one at a time")
  void orderWithinAConversation() {
    Vertx vertx = process();
    Recorder recorder = new Recorder(vertx);
    idleConsumer(vertx, Queues.INBOUND, recorder, 8);
    RedisJobQueue queue = harness.queue(vertx, Queues.INBOUND);

    await(queue.enqueue(List.of(job("a1", "222222"), job("a2", "222222"), job("b1", "333333"), job("a3", "222222"),
        job("b2", "333333"))));

    List<Job> runs = recorder.runs.awaitSize(5);
    assertThat(runs.stream().filter(j -> j.conversationId().equals("222222")).map(Job::id)).containsExactly("a1", "a2", "a3");
    assertThat(runs.stream().filter(j -> j.conversationId().equals("333333")).map(Job::id)).containsExactly("b1", "b2");
    assertThat(recorder.overlaps).isEmpty();
    // One hand-off per conversation (its first job); the others were claimed after it.
    assertThat(handOffs(vertx, Queues.INBOUND)).isEqualTo(2);
  }

  @Test
  @DisplayName("a commit's new job goes straight to this process's consumer of its queue, atomically with the ack")
  void commitHandsOffToAnotherQueue() {
    Vertx vertx = process();
    Recorder outbound = new Recorder(vertx);
    idleConsumer(vertx, Queues.OUTBOUND, outbound, 4);
    idleConsumer(vertx, Queues.INBOUND, job -> Future.succeededFuture(JobOutcome.done(Commit.none()
        .enqueue(Queues.OUTBOUND, NewJob.of("reply-" + job.id(), job.conversationId(), job.correlation(),
            new JsonObject().put("n", "reply-" + job.id()))))), 4);
    RedisJobQueue inbound = harness.queue(vertx, Queues.INBOUND);

    await(inbound.enqueue(List.of(job("m1", "444444"))));

    Job reply = outbound.runs.awaitSize(1).get(0);
    assertThat(reply.id()).isEqualTo("reply-m1");
    assertThat(reply.attempts()).isEqualTo(1);
    assertThat(reply.payload().getString("n")).isEqualTo("reply-m1");
    assertThat(reply.correlation().wamid()).isEqualTo("m1");
    assertThat(handOffs(vertx, Queues.INBOUND)).isEqualTo(1);
    assertThat(handOffs(vertx, Queues.OUTBOUND)).isEqualTo(1);
    RedisJobQueue outboundQueue = harness.queue(vertx, Queues.OUTBOUND);
    poll("the reply acknowledged").until(() -> await(outboundQueue.stats()).waiting() == 0);
  }

  @Test
  @DisplayName("a consumer with no free slot gets no hand-off: the job waits in the ready list and is claimed later")
  void noFreeSlotNoHandOff() {
    Vertx vertx = process();
    Promise<JobOutcome> first = Promise.promise();
    WaitableList<String> started = new WaitableList<>();
    idleConsumer(vertx, Queues.OUTBOUND, job -> {
      started.add(job.id());
      return job.id().equals("busy") ? first.future() : Future.succeededFuture(JobOutcome.done());
    }, 1);
    RedisJobQueue queue = harness.queue(vertx, Queues.OUTBOUND);
    await(queue.enqueue(List.of(job("busy", "555555"))));
    started.awaitSize(1);

    await(queue.enqueue(List.of(job("next", "666666"))));

    assertThat(ready(vertx, Queues.OUTBOUND)).containsExactly("666666");
    assertThat(started).containsExactly("busy");
    vertx.runOnContext(v -> first.complete(JobOutcome.done()));
    assertThat(started.awaitSize(2)).containsExactly("busy", "next");
    assertThat(handOffs(vertx, Queues.OUTBOUND)).isEqualTo(1);
  }

  @Test
  @DisplayName("a paused queue hands nothing off: the job waits in the ready list for the pause to end")
  void pausedQueue() {
    Vertx vertx = process();
    Recorder recorder = new Recorder(vertx);
    idleConsumer(vertx, Queues.OUTBOUND, recorder, 4);
    RedisJobQueue queue = harness.queue(vertx, Queues.OUTBOUND);
    await(queue.pause(Duration.ofMillis(800)));

    await(queue.enqueue(List.of(job("p1", "777777"))));

    assertThat(ready(vertx, Queues.OUTBOUND)).containsExactly("777777");
    assertThat(recorder.runs.awaitSize(1).get(0).id()).isEqualTo("p1");
    assertThat(handOffs(vertx, Queues.OUTBOUND)).isZero();
  }

  @Test
  @DisplayName("a handler with room for 2: hand-offs and claims together never run more than 2 at once, and all are done")
  void roomHoldsWithHandOffs() {
    Vertx vertx = process();
    QueueConsumerRoomTest.RoomyHandler handler = new QueueConsumerRoomTest.RoomyHandler(vertx, 2, 30);
    idleConsumer(vertx, Queues.OUTBOUND, handler, 32);
    RedisJobQueue queue = harness.queue(vertx, Queues.OUTBOUND);

    // Thirty stores at once, one conversation each: hand-offs race each other and the claims of those left over.
    List<Future<List<String>>> stores = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      stores.add(queue.enqueue(List.of(job("r" + i, "90000" + i))));
    }
    await(Future.all(stores));

    await(handler.all.future(), Duration.ofSeconds(20));
    assertThat(handler.most.get()).isLessThanOrEqualTo(2);
    assertThat(handOffs(vertx, Queues.OUTBOUND)).isPositive();
  }

  @Test
  @DisplayName("a store whose answer is lost: the job it handed off goes back to the ready list at once, not in doubt")
  void lostAnswerIsRecovered() {
    Vertx vertx = process();
    harness.maintenance(vertx);
    Recorder recorder = new Recorder(vertx);
    idleConsumer(vertx, Queues.OUTBOUND, recorder, 4);
    RedisJobQueue queue = harness.queue(vertx, Queues.OUTBOUND);
    HandOff handOff = LocalConsumers.of(vertx).reserve(queue.keyspace(), Queues.OUTBOUND, 1);
    assertThat(handOff).isNotNull();
    NewJob lost = job("l1", "121212");
    // The store runs, and leases the job to the hand-off, but its answer never reaches the producer.
    storeLeasedTo(vertx, queue, handOff, lost, 2000);
    assertThat(lease(vertx, "l1")).as("the token and the attempt").isEqualTo(handOff.token() + ":1");

    handOff.recover(List.of(handedOff(lost)));

    // Claimed again as a first attempt: a job left to its lease would come back as the second, in doubt.
    Job ran = recorder.runs.awaitSize(1).get(0);
    assertThat(ran.id()).isEqualTo("l1");
    assertThat(ran.attempts()).isEqualTo(1);
    assertThat(ran.inDoubt()).isFalse();
    assertThat(ran.lastError()).isNull();
    assertThat(handOffs(vertx, Queues.OUTBOUND)).isZero();
  }

  @Test
  @DisplayName("a process that dies holding a handed-off job: its lease runs out and another process runs the job, in doubt")
  void crashAfterHandOff() {
    Vertx survivor = process();
    harness.maintenance(survivor);
    Vertx doomed = process();
    WaitableList<String> doomedRuns = new WaitableList<>();
    idleConsumer(doomed, Queues.INBOUND, job -> {
      doomedRuns.add(job.id());
      return Promise.<JobOutcome>promise().future(); // never finishes
    }, 2);
    await(harness.queue(doomed, Queues.INBOUND).enqueue(List.of(job("d1", "888888"), job("d2", "888888"))));
    doomedRuns.awaitSize(1);
    assertThat(handOffs(doomed, Queues.INBOUND)).isEqualTo(1);
    await(doomed.close()); // the process dies: no outcome, no hand-back, heartbeats stop

    Recorder recorder = new Recorder(survivor);
    harness.consumer(survivor, Queues.INBOUND, recorder, 2);
    List<Job> runs = recorder.runs.awaitSize(2, Duration.ofSeconds(10));
    assertThat(runs).extracting(Job::id).containsExactly("d1", "d2");
    assertThat(runs.get(0).inDoubt()).isTrue();
    assertThat(runs.get(0).attempts()).isEqualTo(2);
    assertThat(doomedRuns).containsExactly("d1");
  }

  @Test
  @DisplayName("a consumer told to stop while a store's hand-off to it is in flight waits for it, and gives its job back to the queue before it has stopped")
  void stopWaitsForHandOffInFlight() {
    Held held = heldConsumer();
    RedisJobQueue producer = harness.queue(held.vertx(), Queues.OUTBOUND);
    HandOff handOff = LocalConsumers.of(held.vertx()).reserve(producer.keyspace(), Queues.OUTBOUND, 1);
    assertThat(handOff).isNotNull();
    NewJob stored = job("s1", "141414");
    // The store has run and leased the job to the hand-off; its answer has not reached the producer yet.
    storeLeasedTo(held.vertx(), producer, handOff, stored, 30000);

    Future<Void> stopping = held.consumer().stop();
    held.queue().stoppedWaiting.awaitSize(1);
    barrier(held.context());
    assertThat(stopping.isComplete()).as("stopped before the hand-off in flight came").isFalse();

    handOff.deliver(List.of(handedOff(stored)));
    held.queue().retried.awaitSize(1);
    barrier(held.context());
    assertThat(stopping.isComplete()).as("stopped before the job was given back").isFalse();
    held.queue().release.complete();
    await(stopping);

    // Given back before the consumer stopped (its process may close Redis right after): due at once, unleased, never
    // run here.
    assertThat(held.recorder().runs).isEmpty();
    await(held.vertx().close());
    assertGivenBack("s1", "141414");
  }

  @Test
  @DisplayName("a consumer told to stop while a claim of its is in flight waits for the claim, and gives what it brings back to the queue unstarted, before it has stopped")
  void stopWaitsForClaimInFlight() {
    Held held = heldConsumer();
    held.queue().holdClaims = true;
    // Stored by another process: no hand-off; the wake-up sends this consumer to claim it.
    await(harness.queue(process(), Queues.OUTBOUND).enqueue(List.of(job("c1", "151515"))));
    held.queue().claiming.awaitSize(1);

    Future<Void> stopping = held.consumer().stop();
    barrier(held.context());
    assertThat(stopping.isComplete()).as("stopped with its claim in flight").isFalse();
    held.queue().release.complete();
    await(stopping);

    assertThat(held.recorder().runs).as("started this late, it could be handed back mid-run, in doubt").isEmpty();
    assertThat(await(held.consumer().stop(), Duration.ofSeconds(1))).as("stopping again: answered at once").isNull();
    assertGivenBack("c1", "151515");
  }

  /**
   * The outbound job {@code id} of {@code conversation} is back in the queue, due at once and leased to no one, and
   * another process runs it as its first attempt, not in doubt.
   */
  private void assertGivenBack(String id, String conversation) {
    assertThat(redis(process(), Request.cmd(Command.ZSCORE).arg("wabot:{bot}:outbound:delayed").arg(conversation))).isNotNull();
    assertThat(lease(process(), id)).as("the job's lease").isEmpty();
    Vertx next = process();
    harness.maintenance(next);
    Recorder nextRecorder = new Recorder(next);
    harness.consumer(next, Queues.OUTBOUND, nextRecorder, 4);
    Job ran = nextRecorder.runs.awaitSize(1).get(0);
    assertThat(ran.id()).isEqualTo(id);
    assertThat(ran.attempts()).isEqualTo(1);
    assertThat(ran.inDoubt()).isFalse();
  }

  /** A consumer of the outbound queue in a process of its own, whose queue's answers the test holds. */
  private record Held(Vertx vertx, Recorder recorder, HeldQueue queue, io.vertx.core.Context context, QueueConsumer consumer) {
  }

  /** Starts a {@link Held} consumer on a context of its own, once it offers its slots to hand-offs. */
  private Held heldConsumer() {
    Vertx vertx = process();
    Recorder recorder = new Recorder(vertx);
    HeldQueue queue = new HeldQueue(harness.queue(vertx, Queues.OUTBOUND));
    io.vertx.core.Context context = vertx.getOrCreateContext();
    Promise<QueueConsumer> started = Promise.promise();
    context.runOnContext(v -> {
      QueueConsumer consumer = new QueueConsumer(vertx, harness.config, queue, recorder, 4, Metrics.registry(vertx));
      consumer.start().map(consumer).onComplete(started);
    });
    QueueConsumer consumer = await(started.future());
    poll("the consumer to offer its slots").until(() -> consumer.freeForHandOff() > 0);
    return new Held(vertx, recorder, queue, context, consumer);
  }

  /**
   * Runs the store of {@code job} as {@code producer} would, its script leasing the job to {@code handOff} for
   * {@code leaseMs}, without the producer seeing the answer: the test delivers or recovers the hand-off itself.
   */
  private void storeLeasedTo(Vertx vertx, RedisJobQueue producer, HandOff handOff, NewJob job, long leaseMs) {
    Redis redis = RedisClients.pooled(vertx, harness.config.redis());
    try {
      await(new ScriptRunner(redis, Duration.ofSeconds(2)).run("enqueue", "wabot:{bot}:outbound:ready", List.of(
          producer.keyspace().prefix(), Queues.OUTBOUND, "3600000", handOff.token(), Long.toString(leaseMs), "1", job.id(),
          job.conversationId(), job.payload().encode(), "")));
    } finally {
      redis.close();
    }
  }

  /** The job a store leases to a hand-off: its first attempt, never in doubt. */
  private static Job handedOff(NewJob job) {
    return new Job(job.id(), Queues.OUTBOUND, job.conversationId(), job.payload(), 1, 0, 0, null, null, false);
  }

  /** Lets what is already queued on {@code context} run (a few rounds, for what each schedules in turn). */
  private static void barrier(io.vertx.core.Context context) {
    for (int i = 0; i < 3; i++) {
      Promise<Void> ran = Promise.promise();
      context.runOnContext(v -> ran.complete());
      await(ran.future());
    }
  }

  /**
   * A queue whose hand-backs (retries) wait for {@link #release}, and its claims too once {@link #holdClaims} is set;
   * it says when each was asked for, and when its consumer stopped waiting for work.
   */
  static final class HeldQueue implements ClaimableQueue {
    final RedisJobQueue queue;
    final Promise<Void> release = Promise.promise();
    volatile boolean holdClaims;
    final WaitableList<String> retried = new WaitableList<>();
    final WaitableList<String> claiming = new WaitableList<>();
    final WaitableList<String> stoppedWaiting = new WaitableList<>();

    HeldQueue(RedisJobQueue queue) {
      this.queue = queue;
    }

    @Override
    public String name() {
      return queue.name();
    }

    @Override
    public Future<Claim> claim(String token, int max) {
      if (!holdClaims) {
        return queue.claim(token, max);
      }
      claiming.add(token);
      return release.future().compose(v -> queue.claim(token, max));
    }

    @Override
    public Future<Boolean> heartbeat(Job job) {
      return queue.heartbeat(job);
    }

    @Override
    public Future<Boolean> ack(Job job, Commit commit) {
      return queue.ack(job, commit);
    }

    @Override
    public Future<RetryResult> retry(Job job, Duration delay, String reason, boolean counted, boolean unfinished) {
      retried.add(job.id());
      return release.future().compose(v -> queue.retry(job, delay, reason, counted, unfinished));
    }

    @Override
    public Future<Boolean> bury(Job job, String reason) {
      return queue.bury(job, reason);
    }

    @Override
    public void adopt(Job job, String token) {
      queue.adopt(job, token);
    }

    @Override
    public void forget(Job job) {
      queue.forget(job);
    }

    @Override
    public Future<Void> awaitWork(Duration timeout) {
      return queue.awaitWork(timeout);
    }

    @Override
    public Future<Void> stopWaiting() {
      return queue.stopWaiting().onComplete(ar -> stoppedWaiting.add("stopped"));
    }
  }
}
