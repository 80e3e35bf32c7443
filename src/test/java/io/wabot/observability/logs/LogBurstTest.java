package io.wabot.observability.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.wabot.observability.Events;
import io.wabot.testing.FakeBetterStack;
import io.wabot.testing.LogCapture;
import io.wabot.testing.Futures;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * Logging from an event loop while Better Stack hangs: the event loop must not notice. Vert.x's own
 * blocked-thread checker is the judge, set far stricter than its 2 s default.
 */
class LogBurstTest {

  private static final int LINES = 10_000;
  private static final int PER_TASK = 50;

  private Vertx vertx;
  private FakeBetterStack fake;
  private final LogBuffer buffer = new LogBuffer();
  private final Logger log = ShippingFixture.loggerInto(buffer);

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx(new VertxOptions()
        .setMaxEventLoopExecuteTime(100).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        // strict for workers too, so that a blocked worker can prove the checker has had its say (below)
        .setMaxWorkerExecuteTime(100).setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    fake = FakeBetterStack.start(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** JIT-compiles the encoding path first: a cold JVM's first few hundred events are slow whatever the appender does. */
  private static void warmUp() {
    Logger warm = ShippingFixture.loggerInto(new LogBuffer());
    for (int i = 0; i < 5_000; i++) {
      Events.info(warm, "burst.warm_up").addKeyValue("n", i).addKeyValue("duration_ms", i % 50)
          .log("warm-up line {} with a little text so that the event has a realistic size", i);
    }
  }

  /**
   * Blocks a worker thread until the checker reports it. The checker runs its rounds one after the
   * other on one thread, so once it reports the worker, every round that saw the burst has reported too.
   */
  private void checkerHasReportedSince(LogCapture blocked) {
    Futures.await(vertx.executeBlocking(() -> blocked.awaitMatching(
        e -> e.getFormattedMessage().startsWith("Thread " + Thread.currentThread().getName() + " has been blocked"))));
  }

  @Test
  @DisplayName("10,000 log lines on an event loop while Better Stack hangs: the blocked-thread checker stays quiet and memory stays within the buffer's bounds")
  void burstDoesNotBlock() throws Exception {
    long maxBytes = 256 * 1024;
    JsonObject settings = new JsonObject().put("batchSize", 100).put("bufferEvents", 1000).put("bufferBytes", maxBytes).put("batchBytes", "64KiB").put("maxEventSize", "16KiB")
        .put("requestTimeout", "1m");
    vertx.deployVerticle(new LogShipperVerticle(ShippingFixture.config(fake, settings), Duration.ofMillis(200), buffer))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    // a first delivery while Better Stack is fine, so the one-off start of the HTTP client (DNS
    // resolver, Netty pipeline classes) is not what the checker measures; then Better Stack hangs
    Events.info(log, "burst.first").log("first");
    fake.awaitEvents(1);
    fake.slow(Duration.ofMinutes(1));
    warmUp();
    try (LogCapture blocked = LogCapture.of("io.vertx.core.impl.BlockedThreadChecker")) {
      CountDownLatch done = new CountDownLatch(LINES / PER_TASK);
      for (int task = 0; task < LINES / PER_TASK; task++) {
        int first = task * PER_TASK;
        vertx.runOnContext(v -> {
          for (int i = first; i < first + PER_TASK; i++) {
            Events.info(log, "burst.line").addKeyValue("n", i).addKeyValue("duration_ms", i % 50)
                .log("burst line {} with a little text so that the event has a realistic size", i);
          }
          done.countDown();
        });
      }
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      checkerHasReportedSince(blocked);

      assertThat(blocked.events()).as("blocked-thread warnings about event loops")
          .noneSatisfy(e -> assertThat(e.getFormattedMessage()).startsWith("Thread vert.x-eventloop-thread"));
    }
    assertThat(buffer.size()).isLessThanOrEqualTo(1000);
    assertThat(buffer.bytes()).isLessThanOrEqualTo(maxBytes);
    assertThat(fake.requests()).as("nothing answered after the first: Better Stack hangs").hasSize(1);
    assertThat(buffer.dropped(DropReason.BUFFER_FULL))
        .as("everything beyond the buffer and the one batch in flight was dropped and counted")
        .isGreaterThanOrEqualTo(LINES - 1000 - 100);
  }
}
