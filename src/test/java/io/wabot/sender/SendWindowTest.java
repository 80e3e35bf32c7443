package io.wabot.sender;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The requests in flight a number needs: its tier times Meta's latency (Little's law), bounded. */
class SendWindowTest {

  static SendWindow answeredIn(int perSecond, long ms) {
    SendWindow window = new SendWindow(perSecond, 16, 1000);
    window.answered(Duration.ofMillis(ms));
    return window;
  }

  @Test
  @DisplayName("before any answer the window is sender.concurrency")
  void beforeAnyAnswer() {
    assertThat(new SendWindow(1000, 16, 1000).limit()).isEqualTo(16);
  }

  @Test
  @DisplayName("twice the tier times the latency: 1,000/s at 200 ms keeps 400 in flight, 80/s keeps 32")
  void littlesLaw() {
    assertThat(answeredIn(1000, 200).limit()).isEqualTo(400);
    assertThat(answeredIn(250, 200).limit()).isEqualTo(100);
    assertThat(answeredIn(80, 200).limit()).isEqualTo(32);
  }

  @Test
  @DisplayName("never under sender.concurrency (an instant API) nor over sender.maxInFlight (a slow one)")
  void bounded() {
    assertThat(answeredIn(1000, 2).limit()).isEqualTo(16);
    assertThat(answeredIn(1000, 5_000).limit()).isEqualTo(1000);
  }

  @Test
  @DisplayName("slower answers widen the window at once; faster ones narrow it gradually")
  void risesFastFallsSlowly() {
    SendWindow window = answeredIn(1000, 100);
    assertThat(window.limit()).isEqualTo(200);
    window.answered(Duration.ofMillis(300));
    assertThat(window.limit()).isEqualTo(400);
    window.answered(Duration.ofMillis(100));
    assertThat(window.limit()).isBetween(380, 399);
    for (int i = 0; i < 200; i++) {
      window.answered(Duration.ofMillis(100));
    }
    assertThat(window.limit()).isBetween(200, 202);
  }

  @Test
  @DisplayName("room while fewer requests are in flight than the window holds")
  void room() {
    SendWindow window = new SendWindow(1000, 2, 2);
    window.started();
    assertThat(window.hasRoom()).isTrue();
    window.started();
    assertThat(window.hasRoom()).isFalse();
    window.finished();
    assertThat(window.hasRoom()).isTrue();
  }
}
