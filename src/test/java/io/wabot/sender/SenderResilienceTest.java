package io.wabot.sender;

import static io.wabot.testing.Futures.await;
import static io.wabot.sender.SenderFixture.reply;
import static io.wabot.sender.SenderFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.wabot.observability.Alerts;
import io.wabot.queue.NewJob;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.sandbox.SimulatedFault;
import io.wabot.testing.RedisExtension;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** The sender under rate-limit storms, outages and bursts: nothing lost, nothing sent twice. */
class SenderResilienceTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  SenderFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  static String customer(int i) {
    return "4915100" + String.format("%06d", i);
  }

  /** {@code count} replies spread over {@code conversations} customers, several per customer, in order. */
  static List<NewJob> burst(int count, int conversations) {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String to = customer(i % conversations);
      jobs.add(reply(to, "in-" + i + ":r0", OutboundMessage.text(to, "m-" + i), "en"));
    }
    return jobs;
  }

  static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  @Test
  @DisplayName("a burst of 100 under a 130429 storm: every pause honoured, all delivered afterwards, none twice")
  void throughputStorm() throws Exception {
    SenderFixture f = fixture = new SenderFixture(REDIS.url());
    f.simulator.inject(SimulatedFault.throughputLimit(Duration.ofSeconds(1)).forPeriod(Duration.ofMillis(2_500)));
    long stormStart = System.nanoTime();
    f.enqueue(burst(100, 25));

    f.awaitDrained(f.simulator.awaitAccepted(100), Duration.ofSeconds(20));

    assertThat(f.acceptedByMarker()).hasSize(100).allSatisfy((marker, times) -> assertThat(times).as(marker).isEqualTo(1));
    assertThat(f.deadLetters()).isEmpty();
    List<RecordedRequest> requests = f.simulator.requests();
    List<RecordedRequest> refused = requests.stream().filter(r -> r.status() == 429).toList();
    assertThat(refused).isNotEmpty();
    assertThat(f.pauses).isNotEmpty();
    for (RecordedRequest r : refused) {
      // Requests already on the wire when the 429 came back arrive within milliseconds; nothing else
      // may arrive until Retry-After (1 s) has passed.
      assertThat(requests).noneSatisfy(other -> assertThat(ms(other.arrivalNanos() - r.arrivalNanos())).isBetween(150L, 950L));
    }
    assertThat(requests.stream().filter(RecordedRequest::accepted).mapToLong(RecordedRequest::arrivalNanos).min()
        .orElseThrow() - stormStart).as("nothing accepted during the storm").isGreaterThanOrEqualTo(Duration.ofMillis(2_400).toNanos());
    for (int c = 0; c < 25; c++) {
      String to = customer(c);
      List<Integer> order = f.simulator.accepted().stream().filter(r -> to.equals(r.recipient()))
          .map(r -> Integer.parseInt(SenderFixture.marker(r).substring(2))).toList();
      assertThat(order).as("order of %s", to).isSorted();
    }
  }

  @Test
  @DisplayName("a 20-second outage (500s, then timeouts): the breaker opens and closes, alerts go out, readiness stays UP,"
      + " and afterwards every reply is delivered once")
  void outage() throws Exception {
    Logger gatewayLog = (Logger) LoggerFactory.getLogger(SenderGate.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    gatewayLog.addAppender(logs);
    try {
      SenderFixture f = fixture = new SenderFixture(REDIS.url());
      f.simulator.inject(SimulatedFault.serverError(500).forPeriod(Duration.ofSeconds(10)));
      f.simulator.inject(SimulatedFault.noAnswer().forPeriod(Duration.ofSeconds(20)));
      long outageStart = System.nanoTime();
      f.enqueue(burst(30, 10));

      f.breakerChanges.await(change -> "OPEN".equals(change.getString("state")));
      WebClient http = WebClient.create(f.side);
      HttpResponse<Buffer> ready = await(http.get(f.app.httpPort(), "127.0.0.1", "/health/ready").send());
      assertThat(ready.statusCode()).as("readiness stays UP while Meta is down").isEqualTo(200);
      JsonObject check = ready.bodyAsJsonObject().getJsonArray("checks").stream().map(JsonObject.class::cast)
          .filter(c -> "graph-api".equals(c.getString("id"))).findFirst().orElseThrow();
      assertThat(check.getString("status")).isEqualTo("UP");
      assertThat(check.getJsonObject("data").getString("breaker")).isIn("OPEN", "HALF_OPEN");
      http.close();

      f.awaitDrained(f.simulator.awaitAccepted(30), Duration.ofSeconds(40));
      assertThat(f.acceptedByMarker()).hasSize(30);

      assertThat(f.acceptedByMarker()).allSatisfy((marker, times) -> assertThat(times).as(marker).isEqualTo(1));
      assertThat(f.deadLetters()).as("nothing lost").isEmpty();
      long firstAccepted = f.simulator.accepted().stream().mapToLong(RecordedRequest::arrivalNanos).min().orElseThrow();
      assertThat(firstAccepted - outageStart).isGreaterThanOrEqualTo(Duration.ofSeconds(20).toNanos());
      assertThat(f.simulator.requests().size()).as("the breaker kept the API from being hammered").isLessThan(60);
      assertThat(f.breakerChanges).extracting(c -> c.getString("state")).contains("OPEN", "HALF_OPEN").last().isEqualTo("CLOSED");
      assertThat(SenderStatus.breakerState(f.app.vertx()).name()).isEqualTo("CLOSED");
      // Alerts travel the event bus, apart from the breaker's state: waited for, not assumed there.
      f.alerts.await(a -> Alerts.CIRCUIT_OPEN.equals(a.getString("alert")) && !a.getBoolean("resolved"));
      f.alerts.await(a -> Alerts.CIRCUIT_OPEN.equals(a.getString("alert")) && a.getBoolean("resolved"));
      List<String> events = logs.list.stream().map(e -> e.getKeyValuePairs().get(0).value.toString()).toList();
      assertThat(events).contains("sender.breaker_opened", "sender.breaker_half_open", "sender.breaker_closed");
    } finally {
      gatewayLog.detachAppender(logs);
    }
  }

  @Test
  @DisplayName("a burst of 300 replies never goes faster than 80 messages a second")
  void throughputLimit() throws Exception {
    SenderFixture f = fixture = new SenderFixture(REDIS.url(), new JsonObject("{\"sender\": {\"concurrency\": 32}}"));
    // A running service has its connections open and its code warm; a cold start's first requests
    // are late by a connection set-up and would arrive bunched with the next ones.
    List<NewJob> warmUp = IntStream.range(0, 40).mapToObj(i -> text(customer(1000 + i), "warm-" + i)).toList();
    f.enqueue(warmUp);
    f.awaitDrained(f.simulator.awaitAccepted(40));
    f.simulator.clearRequests();

    // The bot spaces its requests; what the receiver sees is that spacing plus whatever the machine adds in
    // between (a late event loop in the bot's HTTP client or in the receiver holds requests back and lets
    // them arrive together). Both loops are watched: a request delayed by at most `lag` can only crowd a
    // window of one second less `lag`, so that is the window checked. On a quiet machine it is the full second.
    EventLoopLag lag = new EventLoopLag(f.app.vertx(), f.side);
    f.enqueue(burst(300, 300));

    f.awaitDrained(f.simulator.awaitAccepted(300), Duration.ofSeconds(20));
    long lagNanos = lag.stop();
    assertThat(f.acceptedByMarker()).hasSize(300).allSatisfy((marker, times) -> assertThat(times).isEqualTo(1));
    List<Long> arrivals = f.simulator.accepted().stream().map(RecordedRequest::arrivalNanos).sorted().toList();
    long window = 1_000_000_000L - Math.min(lagNanos, 500_000_000L);
    int busiest = IntStream.range(0, arrivals.size()).map(i -> (int) arrivals.stream()
        .filter(a -> a >= arrivals.get(i) && a < arrivals.get(i) + window).count()).max().orElseThrow();
    long spanMs = ms(arrivals.get(arrivals.size() - 1) - arrivals.get(0));
    System.out.printf("throughput: 300 replies in %d ms, busiest %d ms window %d (event loops late by up to %d ms)%n",
        spanMs, ms(window), busiest, ms(lagNanos));
    assertThat(busiest).as("replies arriving within any %d ms (one second less the event loops' lateness)", ms(window))
        .isLessThanOrEqualTo(80);
    assertThat(spanMs).isGreaterThanOrEqualTo(3_700);
  }

  @Test
  @DisplayName("a job that already holds a wamid from an earlier attempt is acknowledged without sending again")
  void neverSentTwice() throws Exception {
    SenderFixture f = fixture = new SenderFixture(REDIS.url());
    // As if an earlier attempt was accepted by Meta and its process died before the acknowledgement.
    await(f.outbound.pause(Duration.ofSeconds(1)));
    f.enqueue(text("16505551234", "sent-before"));
    String jobKey = f.outbound.keyspace().key("outbound:job:sent-before:r0");
    assertThat(await(f.redis.send(Request.cmd(Command.HSET).arg(jobKey).arg("result").arg("wamid.EARLIER"))).toInteger())
        .isEqualTo(1);

    f.awaitDrained();
    assertThat(f.stats().deadLetters()).isZero();
    assertThat(f.simulator.requests()).isEmpty();
  }
}
