package io.wabot.queue;

import static io.wabot.queue.QueueHarness.job;
import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.wabot.testing.RedisExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A lease is the leased job's {@code lease} field (the consumer's token and the attempt) with its deadline in
 * {@code <queue>:active}.
 * Only the consumer holding it writes the job's outcome, and only until the lease ends: with that outcome, or with its
 * expiry (the reaper). A lease an earlier version took in {@code <queue>:leases} is honoured to its end, so that an
 * upgrade in the middle of a job neither loses the job nor lets it run twice.
 */
class QueueLeaseTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  private static final String KEYS = "wabot:{bot}:inbound:";

  private QueueHarness harness;
  private Vertx vertx;
  private RedisJobQueue queue;

  @BeforeEach
  void setUp() {
    harness = new QueueHarness(REDIS.url());
    vertx = harness.process();
    queue = harness.queue(vertx, Queues.INBOUND);
  }

  @AfterEach
  void tearDown() {
    harness.close();
  }

  private Job claim(String token) {
    return ((ClaimableQueue.Claimed) await(queue.claim(token))).job();
  }

  private static String redis(String... words) {
    return REDIS.server().command(words);
  }

  /** Waits for the reaper to end the conversation's lease (the harness's leases last 2 s, its reaper runs every 100 ms). */
  private void awaitReaped(String conversation) {
    poll("the reaper to end the lease on %s", conversation).atMost(Duration.ofSeconds(10))
        .until(() -> "$-1".equals(redis("ZSCORE", KEYS + "active", conversation)));
  }

  @Test
  @DisplayName("a consumer that outlived its lease can no longer write an outcome: the next claim's consumer owns the job")
  void expiredLeaseWritesNothing() {
    harness.maintenance(vertx);
    await(queue.enqueue(List.of(job("e1", "717171"))));
    Job late = claim("late");
    assertThat(redis("HGET", KEYS + "job:e1", "lease")).as("the token and the attempt").isEqualTo("late:1");
    assertThat(await(queue.heartbeat(late))).isTrue();

    awaitReaped("717171");

    assertThat(await(queue.heartbeat(late))).as("heartbeat after the reaper").isFalse();
    assertThat(await(queue.ack(late, Commit.none().put("state:717171", "late", null)))).isFalse();
    assertThat(redis("GET", "wabot:{bot}:state:717171")).isEqualTo("$-1");
    Job next = claim("next");
    assertThat(next.id()).isEqualTo("e1");
    assertThat(next.inDoubt()).as("the first attempt never wrote an outcome").isTrue();
    queue.adopt(late, "late"); // its late writes carry its own token again
    assertThat(await(queue.bury(late, "late"))).isFalse();
    assertThat(await(queue.ack(next, Commit.none()))).isTrue();
    assertThat(await(queue.stats()).waiting()).isZero();
  }

  @Test
  @DisplayName("a retried job's lease ends with the retry: its consumer's later writes are refused until it is claimed again")
  void retryEndsTheLease() {
    await(queue.enqueue(List.of(job("r1", "727272"))));
    Job first = claim("first");

    assertThat(await(queue.retry(first, Duration.ofMillis(1), "boom", true, false))).isEqualTo(ClaimableQueue.RetryResult.DELAYED);

    assertThat(redis("HGET", KEYS + "job:r1", "lease")).isEmpty();
    queue.adopt(first, "first");
    assertThat(await(queue.ack(first, Commit.none()))).isFalse();
    assertThat(redis("HGET", KEYS + "job:r1", "payload")).as("the job is still stored").isNotEqualTo("$-1");
  }

  @Test
  @DisplayName("a lease an earlier version took (in <queue>:leases) is honoured: its holder renews it and writes the outcome")
  void earlierVersionsLeaseIsHonoured() {
    await(queue.enqueue(List.of(job("o1", "737373"), job("o2", "737373"))));
    Job held = claim("old");
    leasedTheEarlierWay("o1", "737373", "old");

    assertThat(await(queue.heartbeat(held))).isTrue();
    assertThat(await(queue.ack(held, Commit.none().put("state:737373", "kept", null)))).isTrue();

    assertThat(redis("GET", "wabot:{bot}:state:737373")).isEqualTo("kept");
    assertThat(redis("HEXISTS", KEYS + "leases", "737373")).as("the earlier lease is gone with the outcome").isEqualTo(":0");
    Job next = claim("new");
    assertThat(next.id()).isEqualTo("o2");
    assertThat(redis("HGET", KEYS + "job:o2", "lease")).isEqualTo("new:1");
  }

  @Test
  @DisplayName("an earlier version's lease that expires is ended by the reaper like any other: its holder writes nothing")
  void earlierVersionsLeaseExpires() {
    harness.maintenance(vertx);
    await(queue.enqueue(List.of(job("x1", "747474"))));
    Job held = claim("old");
    leasedTheEarlierWay("x1", "747474", "old");

    awaitReaped("747474");

    assertThat(redis("HEXISTS", KEYS + "leases", "747474")).isEqualTo(":0");
    assertThat(await(queue.ack(held, Commit.none()))).isFalse();
    assertThat(claim("new").id()).isEqualTo("x1");
  }

  @Test
  @DisplayName("during a rolling upgrade, a lease an earlier version's reaper ended stays ended: its holder writes nothing,"
      + " whether that version has claimed the job since or given it back")
  void leaseEndedByAnEarlierVersion() {
    await(queue.enqueue(List.of(job("u1", "757575"))));
    Job late = claim("late");
    assertThat(redis("HGET", KEYS + "job:u1", "lease")).isEqualTo("late:1");

    // What the reaper of a version that kept leases in <queue>:leases does when the lease expires: it knows
    // nothing of the job's field, which stays.
    redis("ZREM", KEYS + "active", "757575");
    redis("HDEL", KEYS + "leases", "757575");
    assertRefused(late, "late", "reaped");

    // That version's claim: the attempt counted, the lease in its hash.
    redis("HSET", KEYS + "job:u1", "attempts", "2", "open", "1");
    redis("ZADD", KEYS + "active", "9999999999999", "757575");
    redis("HSET", KEYS + "leases", "757575", "earlier:u1");
    assertRefused(late, "late", "claimed by the earlier version");

    // Its retry that does not count the attempt (a job postponed, or given back as that node stops): the attempt
    // is back to the one the first holder's field names, and the conversation waits in <queue>:delayed.
    redis("HINCRBY", KEYS + "job:u1", "attempts", "-1");
    redis("ZREM", KEYS + "active", "757575");
    redis("HDEL", KEYS + "leases", "757575");
    redis("ZADD", KEYS + "delayed", "0", "757575");
    assertRefused(late, "late", "given back by the earlier version");

    assertThat(redis("GET", "wabot:{bot}:state:757575")).isEqualTo("$-1");
    assertThat(redis("HGET", KEYS + "job:u1", "payload")).as("the job stays, to run once more").isNotEqualTo("$-1");
  }

  @Test
  @DisplayName("a dead letter keeps no lease: replayed by any version, it is leased afresh")
  void deadLetterKeepsNoLease() {
    await(queue.enqueue(List.of(job("d1", "767676"))));
    Job held = claim("held");

    assertThat(await(queue.bury(held, "broken"))).isTrue();

    assertThat(redis("HEXISTS", KEYS + "dead:d1", "lease")).isEqualTo(":0");
    assertThat(redis("HGET", KEYS + "dead:d1", "reason")).isEqualTo("broken");
  }

  @Test
  @DisplayName("an acknowledgement whose effect fails part-way writes none of its keys, fails again when tried again, and"
      + " leaves its job to the reaper, which gives it back to run again")
  void failedAcknowledgementRunsAgain() {
    await(queue.enqueue(List.of(job("f1", "777777"))));
    Job held = claim("held");
    // A key of another type where an effect writes (the reply queue's depth), as a hand-made change would leave it.
    redis("HSET", "wabot:{bot}:outbound:count", "by", "hand");
    Commit commit = Commit.none().put("state:777777", "next", null).enqueue(Queues.OUTBOUND, job("reply-f1", "777777"));

    assertThatThrownBy(() -> await(queue.ack(held, commit))).hasMessageContaining("WRONGTYPE");

    assertThat(redis("GET", "wabot:{bot}:state:777777")).as("the state as it was").isEqualTo("$-1");
    assertThat(redis("ZSCORE", KEYS + "active", "777777")).as("the lease's deadline is back, due").isNotEqualTo("$-1");
    // Tried again (as the consumer does), the reply is not taken for a duplicate of itself: the same failure.
    assertThatThrownBy(() -> await(queue.ack(held, commit))).hasMessageContaining("WRONGTYPE");

    redis("DEL", "wabot:{bot}:outbound:count");
    harness.maintenance(vertx);
    awaitReaped("777777");
    Job again = claim("again");
    assertThat(again.id()).isEqualTo("f1");
    assertThat(again.inDoubt()).as("its first attempt wrote no outcome").isTrue();
    assertThat(await(queue.ack(again, commit))).isTrue();
    assertThat(redis("HEXISTS", "wabot:{bot}:outbound:job:reply-f1", "payload")).as("the reply stored").isEqualTo(":1");
    assertThat(redis("GET", "wabot:{bot}:state:777777")).isEqualTo("next");
    assertThat(await(queue.stats()).waiting()).isZero();
  }

  @Test
  @DisplayName("a store that fails part-way keeps no dedupe mark for the job that failed: stored again, it is not refused"
      + " as a duplicate, and the jobs stored before it are")
  void failedStoreIsNotADuplicate() {
    NewJob before = job("s1", "787878");
    NewJob failing = job("s2", "797979").withIdTime(java.time.Instant.now()); // its mark in a seen: hash
    redis("SET", KEYS + "conv:797979", "by hand");

    assertThatThrownBy(() -> await(queue.enqueue(List.of(before, failing)))).hasMessageContaining("WRONGTYPE");

    // Tried twice more before the key is mended (Meta redelivers), each failing the same way.
    assertThatThrownBy(() -> await(queue.enqueue(List.of(before, failing)))).hasMessageContaining("WRONGTYPE");
    assertThatThrownBy(() -> await(queue.enqueue(List.of(before, failing)))).hasMessageContaining("WRONGTYPE");
    redis("DEL", KEYS + "conv:797979");
    assertThat(await(queue.enqueue(List.of(before, failing)))).as("the ids newly stored").containsExactly("s2");
    assertThat(redis("GET", KEYS + "count")).as("each job counted once").isEqualTo("2");
    assertThat(List.of(claim("c").id(), claim("d").id())).containsExactlyInAnyOrder("s1", "s2");
  }

  /** Asserts that {@code holder}, claimed under {@code token}, can neither renew its lease nor write an outcome. */
  private void assertRefused(Job holder, String token, String when) {
    assertThat(await(queue.heartbeat(holder))).as("heartbeat, %s", when).isFalse();
    assertThat(await(queue.ack(holder, Commit.none().put("state:" + holder.conversationId(), token, null))))
        .as("ack, %s", when).isFalse();
    queue.adopt(holder, token);
    assertThat(await(queue.bury(holder, token))).as("bury, %s", when).isFalse();
  }

  /** Moves a job's lease to where versions before this one kept it: "<token>:<job id>" in {@code <queue>:leases}. */
  private static void leasedTheEarlierWay(String id, String conversation, String token) {
    redis("HDEL", KEYS + "job:" + id, "lease");
    redis("HSET", KEYS + "leases", conversation, token + ":" + id);
  }
}
