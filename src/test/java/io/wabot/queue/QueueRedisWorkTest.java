package io.wabot.queue;

import static io.wabot.queue.QueueHarness.job;
import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.wabot.redis.RedisClients;
import io.wabot.testing.CommandStats;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.WaitableList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the queue costs Redis: commands per job (those the scripts run included, as {@code INFO
 * commandstats} counts them), claims of several conversations in one run, and how long ids are kept.
 */
class QueueRedisWorkTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  /** Connection upkeep and the measurement itself, not the queue's work. */
  private static final Set<String> NOT_COUNTED = Set.of("info", "config", "hello", "ping", "client", "select");

  private QueueHarness harness;
  private Vertx vertx;
  private Redis redis;
  private RedisJobQueue inbound;

  @BeforeEach
  void setUp() {
    harness = new QueueHarness(REDIS.url());
    vertx = harness.process();
    redis = RedisClients.pooled(vertx, harness.config.redis());
    inbound = harness.queue(vertx, Queues.INBOUND);
  }

  @AfterEach
  void tearDown() {
    redis.close();
    harness.close();
  }

  @Test
  @DisplayName("a job stored, claimed and acknowledged costs Redis at most 26 commands, those inside the scripts included")
  void commandsPerJob() {
    cycle("warm-up", "c0"); // loads the scripts, so that no NOSCRIPT round trip is counted below
    await(redis.send(Request.cmd(Command.CONFIG).arg("RESETSTAT")));

    cycle("measured", "c1");

    Map<String, Long> calls = commandCalls();
    long total = calls.values().stream().mapToLong(Long::longValue).sum();
    // enqueue 10 (script, TIME, SET NX, EXISTS, HSET, RPUSH, INCR, SADD, RPUSH, LPUSH), claim 9 (script,
    // LPOP, TIME, GET, SREM, LINDEX, HMGET, ZADD, HSET), ack 7 (script, HMGET, ZREM, LPOP, DEL, DECR, LLEN). It
    // was 36, then 28: the claim's EXISTS and HINCRBY, the enqueue's two ZSCORE, EXISTS and LTRIM, the ack's TIME
    // and LINDEX; then the lease moved into the job's hash (the claim's second HSET, the ack's HDEL).
    assertThat(total).as("commands by name: %s", calls).isLessThanOrEqualTo(26);
    assertThat(calls).doesNotContainKeys("zscore", "ltrim", "hincrby", "hdel");
    assertThat(calls.get("evalsha")).as("one script run for each of enqueue, claim and ack").isEqualTo(3);
  }

  @Test
  @DisplayName("one claim takes the next job of several conversations, never two of one, and says when the ready list ran dry")
  void batchClaim() {
    await(inbound.enqueue(List.of(job("a1", "A"), job("a2", "A"), job("b1", "B"), job("c1", "C"))));

    ClaimableQueue.Batch batch = (ClaimableQueue.Batch) await(inbound.claim("t1", 10));

    assertThat(batch.jobs()).extracting(Job::id).containsExactly("a1", "b1", "c1");
    assertThat(batch.drained()).isTrue();
    // The wake-up tokens stood for the conversations just claimed: none is left to wake a consumer for nothing.
    assertThat(await(redis.send(Request.cmd(Command.LLEN).arg(inbound.wakeKey()))).toLong()).isZero();
    assertThat(await(inbound.claim("t2", 10))).isInstanceOf(ClaimableQueue.Empty.class);

    Job a1 = batch.jobs().get(0);
    assertThat(await(inbound.ack(a1, Commit.none()))).isTrue();
    ClaimableQueue.Batch next = (ClaimableQueue.Batch) await(inbound.claim("t3", 10));
    assertThat(next.jobs()).extracting(Job::id).containsExactly("a2");
  }

  @Test
  @DisplayName("a message id is remembered for queue.inboundDedupWindow, a job a commit enqueues for queue.dedupWindow")
  void dedupWindows() {
    await(inbound.enqueue(List.of(job("wamid.1", "C"))));
    Job message = ((ClaimableQueue.Claimed) await(inbound.claim("t"))).job();
    assertThat(await(inbound.ack(message, Commit.none().enqueue(Queues.INBOUND, job("wamid.1:timer", "timer:C"))))).isTrue();

    Duration messageTtl = pttl(Queues.INBOUND + ":dedup:wamid.1");
    Duration timerTtl = pttl(Queues.INBOUND + ":dedup:wamid.1:timer");
    assertThat(messageTtl).isGreaterThan(harness.config.queue().dedupWindow())
        .isLessThanOrEqualTo(harness.config.queue().inboundDedupWindow());
    assertThat(timerTtl).isPositive().isLessThanOrEqualTo(harness.config.queue().dedupWindow());
  }

  @Test
  @DisplayName("idle consumers are woken one per job by Redis: a job costs one claim, not one per consumer")
  void oneClaimPerJobWhateverTheConsumers() {
    QueueHarness slowPoll = slowPoll();
    try {
      cycle("warm-up", "c0"); // loads the scripts, so that no NOSCRIPT round trip is counted below
      Vertx process = slowPoll.process();
      WaitableList<String> handled = new WaitableList<>();
      JobHandler handler = job -> {
        handled.add(job.id());
        return Future.succeededFuture(JobOutcome.done());
      };
      for (int i = 0; i < 4; i++) {
        slowPoll.consumer(process, Queues.INBOUND, handler, 4);
      }
      poll("the four consumers to wait on the wake-up list").until(() -> blockedClients() == 4);
      await(redis.send(Request.cmd(Command.CONFIG).arg("RESETSTAT")));

      // Enqueued by another process (one in the consumers' would hand the job to one of them: no claim at all,
      // see handedOffJob), with the event-bus work signal reaching the consumers too, as a local producer's would.
      await(inbound.enqueue(List.of(job("m1", "C"))));
      process.eventBus().publish(Queues.workAddress(Queues.INBOUND), null);

      assertThat(handled.awaitSize(1)).containsExactly("m1");
      poll("the job to be acknowledged and every consumer to wait again")
          .until(() -> blockedClients() == 4 && "0".equals(String.valueOf(
              await(redis.send(Request.cmd(Command.GET).arg(inbound.keyspace().key(Queues.INBOUND + ":count")))))));
      // enqueue, one claim, ack: before, the work signal sent all four consumers to claim and the token
      // woke one more claim, each of them but one finding nothing.
      Map<String, Long> calls = commandCalls();
      assertThat(calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("eval", 0L)).as("script runs: %s", calls)
          .isEqualTo(3);
    } finally {
      slowPoll.close();
    }
  }

  @Test
  @DisplayName("a job stored in its consumer's process is handed to it: no claim, no wake-up, 19 commands instead of 28")
  void handedOffJob() {
    QueueHarness slowPoll = slowPoll();
    try {
      cycle("warm-up", "c0");
      Vertx process = slowPoll.process();
      WaitableList<String> handled = new WaitableList<>();
      QueueConsumer consumer = slowPoll.consumer(process, Queues.INBOUND, job -> {
        handled.add(job.id());
        return Future.succeededFuture(JobOutcome.done());
      }, 4);
      poll("the consumer to wait on the wake-up list").until(() -> blockedClients() == 1 && consumer.freeForHandOff() > 0);
      await(redis.send(Request.cmd(Command.CONFIG).arg("RESETSTAT")));

      await(slowPoll.queue(process, Queues.INBOUND).enqueue(List.of(job("m1", "C"))));

      assertThat(handled.awaitSize(1)).containsExactly("m1");
      // Asked of the consumer, not of Redis, whose commands are being counted: it lets the job go once acknowledged.
      poll("the job to be acknowledged").until(() -> consumer.inFlight() == 0);
      Map<String, Long> calls = commandCalls();
      long total = calls.values().stream().mapToLong(Long::longValue).sum();
      // enqueue 11 (script, TIME, GET of the pause, SET NX, EXISTS, INCR, RPUSH, SISMEMBER of the ready set, HSET,
      // ZADD, HSET of the lease), ack 8 (script, HGET, LPOP, DEL, DECR, ZREM, HDEL, LLEN); the ready list's RPUSH,
      // its set's SADD, the wake-up token and the claim's 10 are skipped.
      assertThat(calls.getOrDefault("evalsha", 0L)).as("script runs: %s", calls).isEqualTo(2);
      assertThat(total).as("commands by name: %s", calls).isLessThanOrEqualTo(19);
      assertThat(calls).doesNotContainKeys("sadd", "srem", "lpush", "blpop", "lindex");
    } finally {
      slowPoll.close();
    }
  }

  /** A long poll interval: nothing but the job itself may wake a consumer during the test. */
  private static QueueHarness slowPoll() {
    return new QueueHarness(REDIS.url(), QueueHarness.FAST.copy()
        .put("queue", QueueHarness.FAST.getJsonObject("queue").copy().put("pollInterval", "1m")));
  }

  private long blockedClients() {
    String clients = await(redis.send(Request.cmd(Command.CLIENT).arg("LIST"))).toString();
    return clients.lines().filter(line -> line.contains(" cmd=blpop")).filter(line -> line.matches(".* flags=\\w*b\\w* .*"))
        .count();
  }

  private void cycle(String id, String conversation) {
    await(inbound.enqueue(List.of(job(id, conversation))));
    Job claimed = ((ClaimableQueue.Claimed) await(inbound.claim("token-" + id))).job();
    assertThat(await(inbound.ack(claimed, Commit.none()))).isTrue();
  }

  private Duration pttl(String relative) {
    return Duration.ofMillis(await(redis.send(Request.cmd(Command.PTTL).arg(inbound.keyspace().key(relative)))).toLong());
  }

  /** Calls per command since the last CONFIG RESETSTAT, as INFO commandstats reports them. */
  private Map<String, Long> commandCalls() {
    Map<String, Long> calls = new TreeMap<>(
        CommandStats.calls(await(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString()));
    calls.keySet().removeIf(name -> NOT_COUNTED.contains(name.contains("|") ? name.substring(0, name.indexOf('|')) : name));
    return calls;
  }
}
