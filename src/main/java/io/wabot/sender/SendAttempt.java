package io.wabot.sender;

import java.time.Duration;

/**
 * What became of one attempt to send: the one result type the job handler turns into a queue outcome.
 * Nothing below it (the HTTP answer, the breaker, the pause, the throughput budget) reaches the handler
 * in another form.
 */
public sealed interface SendAttempt {

  /**
   * Meta accepted the request.
   *
   * @param wamid   the message's id; null for a read receipt, whose answer is {@code {"success":true}}
   * @param latency the HTTP call's
   */
  record Accepted(String wamid, Duration latency) implements SendAttempt {
  }

  /** Meta (or the way there) refused the request; {@code action} is {@link GraphErrorClassifier}'s verdict. */
  record Refused(GraphError error, ErrorAction action) implements SendAttempt {
  }

  /** Nothing was sent (breaker open, sending paused, throughput budget spoken for); look again after {@code retryIn}. */
  record Held(Duration retryIn, String reason) implements SendAttempt {
  }
}
