package io.wabot.sender;

import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static io.wabot.sender.SenderFixture.reply;
import static io.wabot.sender.SenderFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.json.JsonObject;
import io.wabot.observability.Alerts;
import io.wabot.observability.Correlation;
import io.wabot.queue.DeadJob;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.sandbox.SimulatedFault;
import io.wabot.testing.RedisExtension;
import io.wabot.whatsapp.outbound.MarkAsRead;
import io.wabot.whatsapp.outbound.OutboundJobs;
import io.wabot.whatsapp.outbound.OutboundMessage;
import io.wabot.whatsapp.outbound.TemplateMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each class of Graph API answer, end to end: outbound queue → sender → simulated Graph API. */
class SenderErrorClassesTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String ANA = "16505551234";
  static final String BEN = "4915112345678";

  SenderFixture fixture;

  SenderFixture start() {
    return start(new JsonObject());
  }

  SenderFixture start(JsonObject overrides) {
    fixture = new SenderFixture(REDIS.url(), overrides);
    return fixture;
  }

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  static DeadJob only(List<DeadJob> dead) {
    assertThat(dead).hasSize(1);
    return dead.get(0);
  }

  @Test
  @DisplayName("accepted replies are sent once each, in order per conversation, and leave the queue")
  void accepted() throws Exception {
    SenderFixture f = start();
    f.enqueue(text(ANA, "a1"), text(BEN, "b1"), reply(ANA, "a1:r1", OutboundMessage.text(ANA, "a2"), "en"));

    f.awaitDrained(f.simulator.awaitAccepted(3));
    assertThat(f.acceptedByMarker()).isEqualTo(Map.of("a1", 1L, "a2", 1L, "b1", 1L));
    List<String> anaOrder = f.simulator.accepted().stream().filter(r -> ANA.equals(r.recipient()))
        .map(SenderFixture::marker).toList();
    assertThat(anaOrder).containsExactly("a1", "a2");
    assertThat(f.deadLetters()).isEmpty();
  }

  @Test
  @DisplayName("a read receipt is sent and acknowledged; one Meta refuses for good is dropped, not dead-lettered")
  void readReceipts() throws Exception {
    SenderFixture f = start();
    Correlation correlation = Correlation.ofInbound("wamid.IN1", ANA);
    f.simulator.inject(SimulatedFault.error(400, 100, "(#100) Invalid parameter").times(1));
    f.enqueue(OutboundJobs.markAsRead("wamid.IN0:read", ANA, new MarkAsRead("wamid.IN0", true), correlation, null));
    f.awaitDrained(f.simulator.awaitRequests(1));

    f.enqueue(OutboundJobs.markAsRead("wamid.IN1:read", ANA, new MarkAsRead("wamid.IN1", true), correlation, null));

    f.awaitDrained(f.simulator.awaitAccepted(1));
    assertThat(f.simulator.accepted().get(0).kind()).isEqualTo("read");
    assertThat(f.deadLetters()).isEmpty();
  }

  @Test
  @DisplayName("5xx answers are retried with back-off until accepted, and the reply goes out once")
  void serverErrorsRetried() throws Exception {
    SenderFixture f = start();
    f.simulator.inject(SimulatedFault.serverError(503).times(1));
    f.simulator.inject(SimulatedFault.serverError(500).times(1));
    f.enqueue(text(ANA, "retry-me"));

    f.awaitDrained(f.simulator.awaitAccepted(1));
    assertThat(f.simulator.requests()).extracting(RecordedRequest::status).containsExactly(503, 500, 200);
    assertThat(f.acceptedByMarker()).containsEntry("retry-me", 1L);
    assertThat(SenderStatus.breakerState(f.app.vertx())).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  @DisplayName("131056 holds back only that conversation, for the pair-rate delay, without losing an attempt")
  void pairRate() throws Exception {
    SenderFixture f = start();
    f.simulator.inject(SimulatedFault.pairRateLimit().forRecipient(ANA).times(1));
    f.enqueue(text(ANA, "ana-1"), reply(ANA, "ana-1:r1", OutboundMessage.text(ANA, "ana-2"), "en"), text(BEN, "ben-1"));

    f.awaitDrained(f.simulator.awaitAccepted(3));
    RecordedRequest refused = f.simulator.requests().stream().filter(r -> r.status() == 400).findFirst().orElseThrow();
    RecordedRequest ben = f.simulator.accepted().stream().filter(r -> BEN.equals(r.recipient())).findFirst().orElseThrow();
    List<RecordedRequest> ana = f.simulator.accepted().stream().filter(r -> ANA.equals(r.recipient())).toList();
    assertThat(ana).extracting(SenderFixture::marker).containsExactly("ana-1", "ana-2");
    assertThat(ana.get(0).arrivalNanos() - refused.arrivalNanos()).as("Ana waited the pair-rate delay")
        .isGreaterThanOrEqualTo(Duration.ofMillis(950).toNanos());
    assertThat(ben.arrivalNanos() - refused.arrivalNanos()).as("Ben did not wait").isLessThan(Duration.ofMillis(900).toNanos());
  }

  @Test
  @DisplayName("131047 replaces the free-form replies to one message by one approved window template in the customer's language")
  void windowFallback() throws Exception {
    SenderFixture f = start();
    f.simulator.inject(SimulatedFault.outsideWindow().forRecipient(ANA).times(2));
    f.enqueue(reply(ANA, "wamid.IN:r0", OutboundMessage.text(ANA, "first"), "es_MX"),
        reply(ANA, "wamid.IN:r1", OutboundMessage.text(ANA, "second"), "es_MX"));

    f.awaitDrained(f.simulator.awaitAccepted(1));
    RecordedRequest template = f.simulator.accepted().get(0);
    assertThat(template.kind()).isEqualTo("template");
    assertThat(template.body().getJsonObject("template").getString("name")).isEqualTo("follow_up");
    assertThat(template.body().getJsonObject("template").getJsonObject("language").getString("code")).isEqualTo("es_MX");
    assertThat(f.simulator.requests()).hasSize(3);
    assertThat(f.deadLetters()).isEmpty();
  }

  @Test
  @DisplayName("131047 on a notification to the sales agent drops it: the customers' template is not for the team")
  void windowClosedForTheAgent() throws Exception {
    SenderFixture f = start();
    String agent = "5215500001111";
    f.simulator.inject(SimulatedFault.outsideWindow().forRecipient(agent));
    f.enqueue(OutboundJobs.teamMessage("wamid.IN7:agent", OutboundMessage.text(agent, "Ana wants a person"),
        Correlation.ofInbound("wamid.IN7", ANA), "en", null));

    f.awaitDrained(f.simulator.awaitRequests(1));
    assertThat(f.simulator.accepted()).isEmpty();
    assertThat(f.deadLetters()).isEmpty();
  }

  @Test
  @DisplayName("131047 without a configured template dead-letters the reply with the reason")
  void windowFallbackMissing() throws Exception {
    SenderFixture f = start(new JsonObject().put("conversation", new JsonObject().put("windowTemplate",
        new JsonObject().put("name", ""))));
    f.simulator.inject(SimulatedFault.outsideWindow().forRecipient(ANA));
    f.enqueue(text(ANA, "too-late"));

    f.awaitDeadLetters(1);
    assertThat(only(f.deadLetters()).reason()).contains("no window template is configured").contains("131047");
    assertThat(f.simulator.requests()).hasSize(1);
  }

  @Test
  @DisplayName("132001 sends the template in the next language of the chain (es_MX → es → en_US), else dead-letters")
  void languageFallback() throws Exception {
    SenderFixture f = start();
    f.simulator.inject(SimulatedFault.templateLanguageMissing().times(2));
    f.enqueue(reply(ANA, "t1:r0", new TemplateMessage(ANA, "order_update", "es_MX", List.of()), "es_MX"));

    f.awaitDrained(f.simulator.awaitAccepted(1));
    assertThat(f.simulator.requests()).extracting(r -> r.body().getJsonObject("template").getJsonObject("language")
        .getString("code")).containsExactly("es_MX", "es", "en_US");

    f.simulator.inject(SimulatedFault.templateLanguageMissing().times(3));
    f.enqueue(reply(ANA, "t2:r0", new TemplateMessage(ANA, "order_update", "es_MX", List.of()), "es_MX"));
    f.awaitDeadLetters(1);
    assertThat(only(f.deadLetters()).reason()).contains("order_update").contains("es_MX, es, en_US").contains("132001");
  }

  @Test
  @DisplayName("190 dead-letters the job and raises the auth alert without opening the breaker; acceptance resolves it")
  void tokenExpired() throws Exception {
    SenderFixture f = start();
    f.simulator.inject(SimulatedFault.tokenExpired().times(4));
    f.enqueue(text(ANA, "e1"), text(BEN, "e2"), text("447700900123", "e3"), text("33612345678", "e4"));

    f.awaitDeadLetters(4);
    assertThat(f.deadLetters()).allSatisfy(d -> assertThat(d.reason()).contains("access token").contains("190"));
    f.alerts.await(a -> Alerts.GRAPH_AUTH.equals(a.getString("alert")) && !a.getBoolean("resolved"));
    assertThat(SenderStatus.breakerState(f.app.vertx())).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(f.breakerChanges).isEmpty();

    f.enqueue(text(ANA, "after-rotation"));
    await(f.simulator.awaitAccepted(1));
    f.alerts.await(a -> Alerts.GRAPH_AUTH.equals(a.getString("alert")) && a.getBoolean("resolved"));
  }

  @Test
  @DisplayName("131050 drops the message and the consent hook records the marketing opt-out, durably")
  void optedOut() throws Exception {
    SenderFixture f = start();
    f.simulator.inject(SimulatedFault.optedOut().forRecipient(ANA));
    f.enqueue(text(ANA, "promo"));

    String optOutKey = "wabot:{bot}:optout-marketing:c_" + ANA; // under the customer's conversation key
    poll("the opt-out stored").until(() -> REDIS.server().command("GET", optOutKey) != null
        && !REDIS.server().command("GET", optOutKey).startsWith("$-1"));
    assertThat(REDIS.server().command("GET", optOutKey)).contains("131050");
    assertThat(f.stats().deadLetters()).as("a replay would meet the same refusal").isZero();
    assertThat(f.stats().waiting()).isZero();
  }

  @Test
  @DisplayName("131062 (a message that needs a phone number sent to a BSUID) dead-letters at once with an alert, never retried")
  void bsuidNotSupported() throws Exception {
    SenderFixture f = start();
    String bsuid = "US.13491208655302741918";
    f.simulator.inject(SimulatedFault.bsuidNotSupported().forRecipient(bsuid));
    f.enqueue(text(bsuid, "otp"), text(ANA, "fine"));

    poll("the condition").until(() -> f.stats().deadLetters() == 1 && f.simulator.accepted().size() == 1);
    assertThat(only(f.deadLetters()).reason()).contains("131062").contains("phone number");
    assertThat(f.simulator.requests()).filteredOn(r -> bsuid.equals(r.recipient())).as("no retry").hasSize(1);
    // The alert travels the event bus, apart from the dead letter: waited for, not assumed there.
    assertThat(f.alerts.await(a -> Alerts.BSUID_UNSUPPORTED.equals(a.getString("alert"))).getBoolean("resolved")).isFalse();
    assertThat(f.breakerChanges).isEmpty();
  }

  @Test
  @DisplayName("131026 and other permanent 4xx dead-letter at once with Meta's reason and never open the breaker")
  void permanent() throws Exception {
    SenderFixture f = start();
    f.simulator.inject(SimulatedFault.undeliverable());
    for (int i = 0; i < 6; i++) {
      f.enqueue(text("4477009001" + (10 + i), "u" + i));
    }

    f.awaitDeadLetters(6);
    assertThat(f.deadLetters()).allSatisfy(d -> {
      assertThat(d.reason()).contains("131026").contains("fbtrace_id");
      assertThat(d.attempts()).isEqualTo(1);
    });
    assertThat(f.simulator.requests()).hasSize(6);
    assertThat(f.breakerChanges).isEmpty();
  }

  @Test
  @DisplayName("spam and account limits (131048, 4, 80007) retry after the long back-off")
  void longBackoff() throws Exception {
    SenderFixture f = start();
    f.simulator.inject(SimulatedFault.error(400, 131048, "(#131048) Spam rate limit hit").times(1));
    f.enqueue(text(ANA, "later"));

    f.awaitDrained(f.simulator.awaitAccepted(1));
    List<RecordedRequest> requests = f.simulator.requests();
    assertThat(requests).extracting(RecordedRequest::status).containsExactly(400, 200);
    assertThat(requests.get(1).arrivalNanos() - requests.get(0).arrivalNanos())
        .isGreaterThanOrEqualTo(Duration.ofMillis(950).toNanos());
  }
}
