package io.wabot.observability;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.wabot.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RejectionsTest {

  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  private double counted(String endpoint, String reason) {
    return registry.get(Rejections.METRIC).tag("endpoint", endpoint).tag("reason", reason).counter().count();
  }

  @Test
  @DisplayName("10,000 refusals of one kind make one line at once and one summary per interval, and every one is counted")
  void floodIsSummarised() {
    // An hour-long interval: the test decides when an interval ends by calling report().
    Rejections rejections = new Rejections(vertx, registry, Duration.ofHours(1));
    try (LogCapture logs = LogCapture.of(Rejections.class)) {
      for (int i = 0; i < 10_000; i++) {
        rejections.rejected("admin", "token", "missing or wrong bearer token");
      }
      rejections.rejected("webhook", "signature", "X-Hub-Signature-256 does not match");
      assertThat(logs.named("http.rejected")).hasSize(2);

      rejections.report();
      List<ILoggingEvent> lines = logs.named("http.rejected");
      assertThat(lines).hasSize(3);
      ILoggingEvent summary = lines.get(2);
      assertThat(LogCapture.value(summary, "endpoint")).isEqualTo("admin");
      assertThat(LogCapture.value(summary, "count")).isEqualTo(9_999L);
      assertThat(summary.getFormattedMessage()).contains("9999 more").contains("missing or wrong bearer token");

      rejections.report();
      assertThat(logs.named("http.rejected")).as("a quiet interval says nothing").hasSize(3);
      rejections.rejected("admin", "token", "missing or wrong bearer token");
      assertThat(logs.named("http.rejected")).as("within the interval of the last report: counted, not logged").hasSize(3);
      rejections.close();
      assertThat(logs.named("http.rejected")).as("closing reports what is left").hasSize(4);
    }
    assertThat(counted("admin", "token")).isEqualTo(10_001);
    assertThat(counted("webhook", "signature")).isEqualTo(1);
  }
}
