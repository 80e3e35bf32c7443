package io.wabot.conversation;

import io.vertx.core.Future;
import io.wabot.config.NumberConfig;
import io.wabot.numbers.BusinessNumbers;
import io.wabot.observability.Events;
import io.wabot.queue.Job;
import io.wabot.queue.JobHandler;
import io.wabot.queue.JobOutcome;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound queue's handler when the deployment serves several business numbers: each job runs in the engine of
 * its number ({@link InboundJob#number()}: the number the message arrived on, or the one a hand-off job names;
 * none means the default number), with that number's conversation settings, bot and customer directory.
 *
 * <p>The number is looked up per job in {@link BusinessNumbers}, so a reload takes effect at the next message: an
 * engine is built on first use and rebuilt when its number's configuration changed. A job for a number a reload
 * removed can never be answered from that number: it goes to the dead-letter queue with the reason, for an operator.
 *
 * <p>Runs on one worker's event loop (one instance per conversation worker), so the cache needs no locking.
 */
public final class ConversationEngines implements JobHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ConversationEngines.class);

  private final BusinessNumbers numbers;
  private final Function<NumberConfig, Future<JobHandler>> build;
  private final Map<String, Built> engines = new HashMap<>();

  private record Built(NumberConfig number, Future<JobHandler> engine) {
  }

  /** @param build makes the engine of a number (with its settings, bot and directory); a failed future is tried again */
  public ConversationEngines(BusinessNumbers numbers, Function<NumberConfig, Future<JobHandler>> build) {
    this.numbers = numbers;
    this.build = build;
  }

  @Override
  public Future<JobOutcome> handle(Job job) {
    String id;
    try {
      id = InboundJob.decode(job.payload(), job.conversationId()).number();
    } catch (RuntimeException e) {
      return Future.succeededFuture(JobOutcome.deadLetter(e.getMessage())); // as the engine would: bad data, never retried
    }
    Optional<NumberConfig> number = numbers.forJob(id);
    if (number.isEmpty()) {
      String label = numbers.removedLabel(id);
      Events.warn(LOG, "conversation.number_removed", job.correlation()).addKeyValue("number", label)
          .log("A job for a business number that is no longer configured: kept in the dead-letter queue");
      return Future.succeededFuture(JobOutcome.deadLetter("number " + label + " is no longer configured"));
    }
    return engine(number.get()).compose(engine -> engine.handle(job));
  }

  /** The engine of this number as configured now: the one built for it, or a new one when its configuration changed. */
  Future<JobHandler> engine(NumberConfig number) {
    Built built = engines.get(number.phoneNumberId());
    if (built != null && built.number().equals(number) && !built.engine().failed()) {
      return built.engine();
    }
    Future<JobHandler> engine;
    try {
      engine = build.apply(number);
    } catch (RuntimeException e) {
      engine = Future.failedFuture(e); // a wrong bot definition brought by a reload: retried, then dead-lettered
    }
    if (built != null && !built.number().equals(number)) {
      Events.info(LOG, "conversation.number_reloaded").addKeyValue("number", number.label())
          .log("The number's configuration changed: its conversations now run with the new settings");
    }
    engines.put(number.phoneNumberId(), new Built(number, engine));
    return engine;
  }
}
