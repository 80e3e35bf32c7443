package io.wabot.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.wabot.queue.QueueConsumer;
import java.util.function.Supplier;

/** Waits for a job to reach the dead-letter queue: the consumer's {@code job.dead_lettered} event is the signal. */
public final class DeadLetters {

  private DeadLetters() {
  }

  /** Stores a job with {@code store} (which returns its id) and returns the reason it was dead-lettered with. */
  public static String reasonOf(Supplier<String> store) {
    try (LogCapture logs = LogCapture.of(QueueConsumer.class)) {
      String id = store.get();
      ILoggingEvent dead = logs.awaitMatching(e -> "job.dead_lettered".equals(LogCapture.value(e, "event"))
          && id.equals(String.valueOf(LogCapture.value(e, "job_id"))));
      return String.valueOf(LogCapture.value(dead, "reason"));
    }
  }
}
