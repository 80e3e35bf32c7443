package io.wabot.observability.logs;

import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.wabot.config.BetterStackConfig;
import io.wabot.observability.Alerts;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import io.wabot.testing.FakeBetterStack;
import io.wabot.testing.LogCapture;
import io.wabot.testing.WaitableList;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;

@ExtendWith(VertxExtension.class)
class LogShipperTest {

  private Vertx vertx;
  private FakeBetterStack fake;
  private final LogBuffer buffer = new LogBuffer();
  private final Logger log = ShippingFixture.loggerInto(buffer);
  private final WaitableList<JsonObject> alerts = new WaitableList<>();
  private String deployment;

  /** The extension closes {@code vertx}, and with it the fake and the shipper, after each test. */
  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    fake = FakeBetterStack.start(vertx);
    vertx.eventBus().<JsonObject>consumer(Alerts.ADDRESS, m -> alerts.add(m.body()));
  }

  private void ship(BetterStackConfig config, Duration flushBudget) {
    deployment = await(vertx.deployVerticle(new LogShipperVerticle(config, flushBudget, buffer), new DeploymentOptions()));
  }

  private void ship(JsonObject settings) {
    ship(ShippingFixture.config(fake, settings), Duration.ofSeconds(5));
  }

  private void logNumbered(int from, int to) {
    for (int i = from; i <= to; i++) {
      Events.info(log, "test.numbered").addKeyValue("n", i).log("event {}", i);
    }
  }

  private List<Integer> deliveredNumbers() {
    return fake.events().stream().map(e -> e.getInteger("n")).toList();
  }

  @Test
  @DisplayName("batches arrive gzipped with the source token and parse as a JSON array of events with the stdout fields")
  void shipsGzippedBatches() throws Exception {
    ship(new JsonObject());
    Correlation correlation = Correlation.ofInbound("wamid.ABC", "16505551234");
    Events.info(log, "outbound.sent", correlation.withWamid("wamid.REPLY")).addKeyValue("duration_ms", 87).log("Reply sent");
    logNumbered(1, 2);

    fake.awaitEvents(3);
    FakeBetterStack.Received request = fake.requests().get(0);
    assertThat(request.headers().get("Authorization")).isEqualTo("Bearer " + FakeBetterStack.TOKEN);
    assertThat(request.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(request.headers().get("Content-Encoding")).isEqualTo("gzip");
    JsonObject sent = fake.events().get(0);
    assertThat(sent.fieldNames()).contains("dt", "level", "logger", "message", "thread");
    assertThat(sent.getString("event")).isEqualTo("outbound.sent");
    assertThat(sent.getString("correlation_id")).isEqualTo("wamid.ABC");
    assertThat(sent.getString("customer")).isEqualTo("****1234");
    assertThat(sent.getString("wamid")).isEqualTo("wamid.REPLY");
    assertThat(sent.getInteger("duration_ms")).isEqualTo(87);
    await(vertx.undeploy(deployment)); // stopping waits for the batch in flight: the count is final
    assertThat(buffer.shipped()).isEqualTo(3);
  }

  @Test
  @DisplayName("an outage delays events, and they arrive in order once Better Stack answers again")
  void outageDelaysButDelivers() throws Exception {
    fake.answer(503, null);
    ship(new JsonObject().put("batchSize", 10));
    logNumbered(1, 50);
    fake.awaitRequestsAnswered(503, 3);
    fake.resetConnections();
    logNumbered(51, 60);
    fake.awaitResets(3); // network errors are retried too

    fake.accept();

    fake.awaitEvents(60);
    assertThat(deliveredNumbers()).isEqualTo(IntStream.rangeClosed(1, 60).boxed().toList());
    assertThat(buffer.droppedTotal()).isZero();
  }

  @Test
  @DisplayName("an outage longer than the buffer holds drops the oldest waiting events, counts them, and delivers the rest")
  void outageBeyondBufferDropsOldest() throws Exception {
    fake.answer(500, null);
    ship(new JsonObject().put("batchSize", 20).put("bufferEvents", 100));
    logNumbered(1, 300);
    fake.awaitRequestsAnswered(500, 2);

    fake.accept();

    // Events arrive in order and the newest is logged last: once it is in, everything else that
    // survived is in too, and the buffer has handed over all it held.
    fake.awaitEvent(e -> Integer.valueOf(300).equals(e.getInteger("n")));
    assertThat(buffer.size()).isZero();
    assertThat(fake.events().size() + buffer.dropped(DropReason.BUFFER_FULL)).isEqualTo(300);
    List<Integer> delivered = deliveredNumbers();
    assertThat(buffer.dropped(DropReason.BUFFER_FULL)).isGreaterThanOrEqualTo(180);
    assertThat(delivered).isSorted().contains(300).hasSizeGreaterThanOrEqualTo(100);
    assertThat(delivered.subList(delivered.size() - 100, delivered.size()))
        .as("the newest 100 survive").isEqualTo(IntStream.rangeClosed(201, 300).boxed().toList());
  }

  @Test
  @DisplayName("an alert fired before an outage and a flood survives the drop-oldest of ordinary events and is delivered")
  void alertSurvivesFlood() throws Exception {
    fake.answer(500, null);
    ship(new JsonObject().put("batchSize", 20).put("bufferEvents", 100));
    Events.error(log, "alert.fired").addKeyValue("alert", "circuit_open").log("ALERT circuit_open");
    Events.info(log, "service.started").log("started");
    logNumbered(1, 5_000);
    poll("the condition").until(() -> fake.requestsAnswered(500) >= 2);

    fake.accept();

    poll("the condition").until(() -> buffer.size() == 0 && fake.events().size() + buffer.dropped(DropReason.BUFFER_FULL) == 5_002);
    assertThat(buffer.dropped(DropReason.BUFFER_FULL)).as("the flood overflowed the ordinary lane").isGreaterThanOrEqualTo(4_800);
    assertThat(fake.events()).anySatisfy(e -> assertThat(e.getString("alert")).isEqualTo("circuit_open"));
    assertThat(fake.events()).anySatisfy(e -> assertThat(e.getString("event")).isEqualTo("service.started"));
  }

  @Test
  @DisplayName("413 splits the batch into halves until every event is delivered, in order")
  void tooLargeSplits() throws Exception {
    fake.tooLargeAbove(10);
    ship(new JsonObject().put("batchSize", 100).put("flushInterval", "1m"));
    logNumbered(1, 100);

    fake.awaitEvents(100);
    assertThat(deliveredNumbers()).isEqualTo(IntStream.rangeClosed(1, 100).boxed().toList());
    assertThat(fake.requestsAnswered(413)).isGreaterThanOrEqualTo(7);
    assertThat(buffer.droppedTotal()).isZero();
  }

  @Test
  @DisplayName("403 drops the batch without retrying, says so on stdout only, and raises one alert that resolves when logs are accepted again")
  void forbiddenStopsAndAlerts() throws Exception {
    try (LogCapture shipperLog = LogCapture.of(LogShipper.class)) {
      fake.answer(403, null);
      ship(new JsonObject().put("batchSize", 5));
      logNumbered(1, 5);

      shipperLog.await("log.batch_dropped");
      assertThat(buffer.dropped(DropReason.REJECTED)).isEqualTo(5);
      alerts.awaitSize(1);
      assertThat(alerts.get(0).getString("alert")).isEqualTo(Alerts.LOG_SHIPPING_REJECTED);
      assertThat(alerts.get(0).getInteger("status")).isEqualTo(403);
      assertThat(shipperLog.named("log.shipping_rejected")).isNotEmpty()
          .allSatisfy(e -> assertThat(e.getMarkerList()).contains(LogMarkers.LOCAL_ONLY));

      logNumbered(6, 10);
      shipperLog.await("log.batch_dropped", 2);
      assertThat(buffer.dropped(DropReason.REJECTED)).isEqualTo(10);
      assertThat(fake.requests()).as("one request per batch: no retries").hasSize(2);

      fake.accept();
      logNumbered(11, 15);
      fake.awaitEvents(5);
      alerts.await(a -> a.getBoolean("resolved"));
    }
  }

  @Test
  @DisplayName("429 is retried after the Retry-After wait, and nothing is lost")
  void tooManyRequestsRetried() throws Exception {
    fake.answer(429, "1");
    ship(new JsonObject());
    logNumbered(1, 3);
    fake.awaitRequestsAnswered(429, 1);
    fake.accept();

    fake.awaitEvents(3);
    assertThat(fake.requestsAnswered(429)).as("waited about a second, not 20-100 ms back-offs").isEqualTo(1);
  }

  @Test
  @DisplayName("stopping sends everything still waiting before the verticle is gone")
  void finalFlush() {
    ship(new JsonObject().put("flushInterval", "1m").put("batchSize", 1000));
    logNumbered(1, 30);
    assertThat(fake.events()).isEmpty();

    await(vertx.undeploy(deployment));

    assertThat(deliveredNumbers()).isEqualTo(IntStream.rangeClosed(1, 30).boxed().toList());
    assertThat(buffer.accepting()).isFalse();
  }

  @Test
  @DisplayName("stopping while Better Stack hangs ends within the flush budget and counts what could not be sent")
  void finalFlushBounded() {
    fake.slow(Duration.ofMinutes(1));
    ship(ShippingFixture.config(fake, new JsonObject().put("flushInterval", "1m")), Duration.ofMillis(500));
    logNumbered(1, 10);

    long started = System.nanoTime();
    await(vertx.undeploy(deployment));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(buffer.dropped(DropReason.SHUTDOWN)).isEqualTo(10);
  }

  @Test
  @DisplayName("without a source token nothing is buffered or sent, and one warning says so")
  void noTokenNoShipping() {
    try (LogCapture verticleLog = LogCapture.of(LogShipperVerticle.class)) {
      ship(ShippingFixture.config(fake.url(), null, new JsonObject()), Duration.ofSeconds(1));
      logNumbered(1, 5);

      assertThat(buffer.accepting()).isFalse();
      assertThat(buffer.size()).isZero();
      assertThat(verticleLog.named("log.shipping_off")).hasSize(1);
      assertThat(fake.requests()).isEmpty();
    }
  }
}
