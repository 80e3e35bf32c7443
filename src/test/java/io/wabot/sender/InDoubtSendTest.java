package io.wabot.sender;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import io.wabot.observability.MetricNames;
import io.wabot.observability.Metrics;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.sandbox.SimulatedFault;
import io.wabot.sandbox.StatusReporter;
import io.wabot.testing.Futures;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sends whose result is unknown (here: the request timed out) are reconciled with Meta's status
 * webhooks instead of being sent again blindly. The simulator plays Meta: it delivers a message it
 * accepted even when its answer never reached the bot, and reports it by status webhooks echoing
 * {@code biz_opaque_callback_data}.
 */
class InDoubtSendTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String ANA = "16505551234";

  private SenderFixture fixture;
  private StatusReporter reporter;

  @AfterEach
  void stop() {
    if (reporter != null) {
      reporter.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private SenderFixture start(String grace) {
    fixture = new SenderFixture(REDIS.url(), new JsonObject().put("sender", new JsonObject().put("inDoubtGrace", grace)));
    reporter = new StatusReporter(fixture.side, "http://127.0.0.1:" + fixture.app.httpPort() + "/webhook",
        TestApps.APP_SECRET, TestApps.PHONE_NUMBER_ID).attach(fixture.simulator);
    return fixture;
  }

  private List<RecordedRequest> requestsOf(String jobId) {
    return fixture.simulator.requests().stream()
        .filter(r -> r.body() != null && jobId.equals(r.body().getString("biz_opaque_callback_data"))).toList();
  }

  private double inDoubt(String outcome) {
    Counter counter = Metrics.registry(fixture.app.vertx()).find(MetricNames.SENDS_IN_DOUBT).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  @DisplayName("every message carries its job id in biz_opaque_callback_data; read receipts do not")
  void callbackData() throws Exception {
    SenderFixture f = start("5s");
    f.enqueue(SenderFixture.text(ANA, "hello"));
    poll("the condition").until(() -> f.drained() && reporter.delivered() == 2);
    assertThat(requestsOf("hello:r0")).singleElement().satisfies(r -> assertThat(r.accepted()).isTrue());
    assertThat(f.app.config().sender().inDoubtGrace()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  @DisplayName("a send that timed out but reached Meta is settled by its status webhook and not sent again")
  void timedOutButDelivered() throws Exception {
    SenderFixture f = start("20s");
    // Meta takes the message but answers after the bot's 1 s request timeout.
    f.simulator.inject(SimulatedFault.delay(Duration.ofMillis(1_500)).times(1));
    try (LogCapture logs = LogCapture.of(OutboundJobHandler.class)) {
      f.enqueue(SenderFixture.text(ANA, "once"));
      poll("the condition").atMost(Duration.ofSeconds(30)).until(() -> f.drained() && !logs.named("outbound.confirmed").isEmpty());
      assertThat(logs.named("outbound.in_doubt")).hasSize(1);
      assertThat(logs.named("outbound.resending")).isEmpty();
    }
    assertThat(requestsOf("once:r0")).as("sent once, never again").hasSize(1);
    assertThat(f.acceptedByMarker()).containsEntry("once", 1L);
    assertThat(inDoubt("confirmed")).isEqualTo(1);
  }

  @Test
  @DisplayName("a status proving a dead letter sent is kept with it: replaying the dead letter does not send it again")
  void deadLetterSettledByStatus() throws Exception {
    SenderFixture f = start("1s");
    f.simulator.inject(SimulatedFault.tokenExpired().times(1));
    f.enqueue(SenderFixture.text(ANA, "late"));
    poll("the condition").until(() -> f.deadLetters().size() == 1);
    // Meta reports the message after all (as it would for a send that was in doubt when it died).
    Futures.await(reporter.deliver(ANA, "wamid.LATE", "sent", "late:r0"));

    assertThat(Futures.await(f.outbound.replay("late:r0"))).isTrue();
    poll("the condition").until(() -> f.drained());
    assertThat(requestsOf("late:r0")).as("only the refused first attempt").hasSize(1);
  }

  @Test
  @DisplayName("a send that got no answer and no status within the grace is sent again, once")
  void neverReachedMeta() throws Exception {
    SenderFixture f = start("1s");
    f.simulator.inject(SimulatedFault.noAnswer().times(1)); // the request is lost: no message, no status
    try (LogCapture logs = LogCapture.of(OutboundJobHandler.class)) {
      f.enqueue(SenderFixture.text(ANA, "again"));
      poll("the condition").atMost(Duration.ofSeconds(30)).until(() -> f.drained() && f.acceptedByMarker().containsKey("again"));
      assertThat(logs.named("outbound.resending")).hasSize(1);
    }
    assertThat(requestsOf("again:r0")).hasSize(2);
    assertThat(f.acceptedByMarker()).containsEntry("again", 1L);
    assertThat(inDoubt("resent")).isEqualTo(1);
  }
}
