package io.wabot.sender;

import static io.wabot.sender.SenderFixture.text;
import static io.wabot.sender.SenderResilienceTest.customer;
import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.observability.Correlation;
import io.wabot.queue.NewJob;
import io.wabot.sandbox.SimulatedFault;
import io.wabot.testing.RedisExtension;
import io.wabot.whatsapp.outbound.MarkAsRead;
import io.wabot.whatsapp.outbound.OutboundJobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests in flight follow the number's tier and Meta's latency (Little's law), not a fixed number: a slow
 * Graph API does not cap a fast tier, and a reply never waits for its read receipt's answer.
 */
class SenderInFlightTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  /** A 1,000 messages/s tier; sender.concurrency stays at its default (16). */
  static final JsonObject FAST_TIER = new JsonObject("""
      {"sender": {"requestTimeout": "10s", "maxMessagesPerSecond": 1000}}""");

  SenderFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** The service on a 1,000/s tier with Meta answering every request after {@code delay}; counts the answers. */
  AtomicInteger slowGraph(Duration delay) {
    SenderFixture f = fixture = new SenderFixture(REDIS.url(), FAST_TIER);
    f.simulator.inject(SimulatedFault.delay(delay));
    AtomicInteger answered = new AtomicInteger();
    f.simulator.onAccepted(accepted -> answered.incrementAndGet());
    return answered;
  }

  @Test
  @DisplayName("Meta answering in 1 s: the window widens past sender.concurrency to the tier's need, 80 sends in flight at once")
  void windowFollowsLatency() {
    AtomicInteger answered = slowGraph(Duration.ofSeconds(1));
    SenderFixture f = fixture;
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      jobs.add(text(customer(i), "m-" + i));
    }
    f.enqueue(jobs);

    // Read on the simulator's event loop as the 80th request arrives: how many had been answered by then.
    int answeredWhenAllArrived = await(f.simulator.awaitRequests(80).map(all -> answered.get()), Duration.ofSeconds(30));

    // With 16 in flight, the 80th request could only leave once 64 had been answered; the window sized from the
    // first answers (1,000/s x 1 s) lets the other 64 go out together.
    assertThat(answeredWhenAllArrived).isLessThan(40);
    f.awaitDrained(f.simulator.awaitAccepted(80), Duration.ofSeconds(30));
    assertThat(f.acceptedByMarker()).hasSize(80).allSatisfy((marker, times) -> assertThat(times).as(marker).isEqualTo(1));
  }

  @Test
  @DisplayName("the reply goes out while its read receipt is still unanswered, and each goes once")
  void receiptBesideReply() {
    AtomicInteger answered = slowGraph(Duration.ofSeconds(2));
    SenderFixture f = fixture;
    String to = customer(1);
    // As the conversation engine stores a turn: the receipt (with typing) first, then the reply.
    NewJob receipt = OutboundJobs.markAsRead("in-1:read", "c_" + to, new MarkAsRead("wamid.IN1", true),
        Correlation.ofInbound("in-1", to), null);
    f.enqueue(receipt, text(to, "answer"));

    int answeredWhenBothArrived = await(f.simulator.awaitRequests(2).map(all -> answered.get()), Duration.ofSeconds(10));

    assertThat(answeredWhenBothArrived).as("answers before the second request arrived").isZero();
    f.awaitDrained(f.simulator.awaitAccepted(2), Duration.ofSeconds(15));
    assertThat(f.simulator.requests()).hasSize(2);
    assertThat(f.acceptedByMarker()).containsEntry("answer", 1L);
  }
}
