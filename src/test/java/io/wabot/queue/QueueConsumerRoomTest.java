package io.wabot.queue;

import static io.wabot.queue.QueueHarness.job;
import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.wabot.testing.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A handler that has room for fewer jobs than the consumer's free slots gets no more than that from a claim. */
class QueueConsumerRoomTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  private final QueueHarness harness = new QueueHarness(REDIS.url());

  @AfterEach
  void tearDown() {
    harness.close();
  }

  /** Takes at most {@code room} jobs at once; each ends 20 ms after it started. */
  static final class RoomyHandler implements JobHandler {
    final Vertx vertx;
    final int room;
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    final Promise<Void> all = Promise.promise();
    final int expected;

    RoomyHandler(Vertx vertx, int room, int expected) {
      this.vertx = vertx;
      this.room = room;
      this.expected = expected;
    }

    @Override
    public Future<JobOutcome> handle(Job job) {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      Promise<JobOutcome> outcome = Promise.promise();
      vertx.setTimer(20, id -> {
        running.decrementAndGet();
        outcome.complete(JobOutcome.done());
        if (done.incrementAndGet() == expected) {
          all.tryComplete();
        }
      });
      return outcome.future();
    }

    @Override
    public int room() {
      return room - running.get();
    }
  }

  @Test
  @DisplayName("room for 2: ten conversations' jobs go 2 at a time although 32 slots are free, and all are done")
  void claimsNoMoreThanTheRoom() {
    Vertx vertx = harness.process();
    RedisJobQueue queue = harness.queue(vertx, Queues.OUTBOUND);
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      jobs.add(job("j" + i, "c" + i));
    }
    await(queue.enqueue(jobs));
    RoomyHandler handler = new RoomyHandler(vertx, 2, 10);

    harness.consumer(vertx, Queues.OUTBOUND, handler, 32);

    await(handler.all.future(), Duration.ofSeconds(10));
    assertThat(handler.most.get()).isEqualTo(2);
  }
}
