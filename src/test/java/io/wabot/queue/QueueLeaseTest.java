package io.wabot.queue;

import static io.wabot.queue.QueueHarness.job;
import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

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
 * A lease is the leased job's {@code lease} field (the consumer's token) with its deadline in {@code <queue>:active}.
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
    assertThat(redis("HGET", KEYS + "job:e1", "lease")).isEqualTo("late");
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
    assertThat(redis("HGET", KEYS + "job:o2", "lease")).isEqualTo("new");
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

  /** Moves a job's lease to where versions before this one kept it: "<token>:<job id>" in {@code <queue>:leases}. */
  private static void leasedTheEarlierWay(String id, String conversation, String token) {
    redis("HDEL", KEYS + "job:" + id, "lease");
    redis("HSET", KEYS + "leases", conversation, token + ":" + id);
  }
}
