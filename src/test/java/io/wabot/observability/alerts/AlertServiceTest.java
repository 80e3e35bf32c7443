package io.wabot.observability.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vertx.core.json.JsonObject;
import io.wabot.observability.Alerts;
import io.wabot.testing.LogCapture;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AlertServiceTest {

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final AlertService service = new AlertService(Duration.ofMinutes(5), clock::get);
  private final LogCapture log = LogCapture.of(AlertService.class);

  @AfterEach
  void close() {
    log.close();
  }

  private static JsonObject fire(String alert, String message) {
    return new JsonObject().put("alert", alert).put("resolved", false).put("message", message);
  }

  private static JsonObject resolve(String alert) {
    return new JsonObject().put("alert", alert).put("resolved", true).put("message", alert + " is over");
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toMillis());
  }

  @Test
  @DisplayName("a thousand fires of one condition make one error event with the alert field, not a thousand")
  void dedupes() {
    for (int i = 0; i < 1000; i++) {
      service.handle(fire(Alerts.CIRCUIT_OPEN, "the Graph API breaker is open").put("failures", 5));
      advance(Duration.ofMillis(100));
    }

    assertThat(log.named("alert.fired")).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.ERROR);
      assertThat(LogCapture.value(e, "alert")).isEqualTo(Alerts.CIRCUIT_OPEN);
      assertThat(LogCapture.value(e, "resolved")).isEqualTo(false);
      assertThat(LogCapture.value(e, "failures")).isEqualTo(5);
      assertThat(e.getFormattedMessage()).contains("circuit_open").contains("the Graph API breaker is open");
    });
  }

  @Test
  @DisplayName("a condition that lasts is reminded once per interval, with how often it fired meanwhile")
  void remindsOncePerInterval() {
    service.handle(fire(Alerts.QUEUE_LAG, "lagging"));
    for (int i = 0; i < 10; i++) {
      advance(Duration.ofMinutes(1));
      service.handle(fire(Alerts.QUEUE_LAG, "lagging"));
    }

    assertThat(log.named("alert.fired")).hasSize(3)
        .extracting(e -> LogCapture.value(e, "occurrences")).containsExactly(1, 5, 5);
  }

  @Test
  @DisplayName("one business number's condition is its own: each number's alert is logged, and resolving one number's"
      + " leaves the other's active")
  void perNumber() {
    service.handle(fire(Alerts.GRAPH_AUTH, "Sales' token refused").put(Alerts.NUMBER, "Sales"));
    service.handle(fire(Alerts.GRAPH_AUTH, "Support's token refused").put(Alerts.NUMBER, "Support"));
    service.handle(resolve(Alerts.GRAPH_AUTH).put(Alerts.NUMBER, "Support"));

    assertThat(log.named("alert.fired")).extracting(e -> LogCapture.value(e, Alerts.NUMBER))
        .containsExactly("Sales", "Support");
    assertThat(log.named("alert.resolved")).singleElement()
        .satisfies(e -> assertThat(LogCapture.value(e, Alerts.NUMBER)).isEqualTo("Support"));
    assertThat(service.isActive(Alerts.GRAPH_AUTH)).as("Sales' still holds").isTrue();
    service.handle(resolve(Alerts.GRAPH_AUTH).put(Alerts.NUMBER, "Sales"));
    assertThat(service.isActive(Alerts.GRAPH_AUTH)).isFalse();
  }

  @Test
  @DisplayName("clearing logs one resolved info event; a resolve for a condition never raised is ignored")
  void resolves() {
    service.handle(resolve(Alerts.REDIS_UNAVAILABLE));
    assertThat(log.events()).isEmpty();

    service.handle(fire(Alerts.REDIS_UNAVAILABLE, "Redis does not answer"));
    advance(Duration.ofSeconds(30));
    service.handle(resolve(Alerts.REDIS_UNAVAILABLE));
    service.handle(resolve(Alerts.REDIS_UNAVAILABLE));

    assertThat(log.named("alert.resolved")).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.INFO);
      assertThat(LogCapture.value(e, "alert")).isEqualTo(Alerts.REDIS_UNAVAILABLE);
      assertThat(LogCapture.value(e, "resolved")).isEqualTo(true);
      assertThat(LogCapture.value(e, "duration_ms")).isEqualTo(30_000L);
    });
  }

  @Test
  @DisplayName("a flapping condition is not logged again within the interval, but is once the interval is over if it still holds")
  void flapping() {
    service.handle(fire(Alerts.CIRCUIT_OPEN, "open"));
    advance(Duration.ofSeconds(30));
    service.handle(resolve(Alerts.CIRCUIT_OPEN));
    advance(Duration.ofSeconds(30));
    service.handle(fire(Alerts.CIRCUIT_OPEN, "open again"));
    service.tick();
    assertThat(log.named("alert.fired")).hasSize(1);

    advance(Duration.ofMinutes(4));
    service.tick();

    assertThat(log.named("alert.fired")).hasSize(2).last()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains("open again"));
    assertThat(log.events()).extracting(ILoggingEvent::getLevel).containsExactly(Level.ERROR, Level.INFO, Level.ERROR);
  }

  @Test
  @DisplayName("conditions are independent of each other")
  void independent() {
    service.handle(fire(Alerts.CIRCUIT_OPEN, "open"));
    service.handle(fire(Alerts.MEMORY, "too big"));
    service.handle(fire(Alerts.CIRCUIT_OPEN, "open"));

    assertThat(log.named("alert.fired")).extracting(e -> LogCapture.value(e, "alert"))
        .containsExactly(Alerts.CIRCUIT_OPEN, Alerts.MEMORY);
  }
}
