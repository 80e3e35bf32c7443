package io.wabot.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Awaitility, for state that only polling can observe: a process that starts accepting connections, a
 * key in Redis, an HTTP endpoint of the service. What happens inside the test JVM gets a signal
 * instead: a future, a {@link WaitableList}, a {@link LogCapture#await log event}.
 *
 * <pre>{@code
 * poll("the redelivery to be stored").until(() -> Webhooks.postSigned(port, body).statusCode() == 200);
 * }</pre>
 */
public final class Polling {

  private Polling() {
  }

  /** Checks at once, then every 25 ms, for up to 10 s unless {@code atMost} says otherwise; {@code what} names it in a failure. */
  public static ConditionFactory poll(String what) {
    return Awaitility.await(what).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(25))
        .atMost(Duration.ofSeconds(10));
  }

  /** {@link #poll(String)} with a description formatted as {@link String#format} does (e.g. to quote a log). */
  public static ConditionFactory poll(String format, Object... args) {
    return poll(String.format(format, args));
  }
}
