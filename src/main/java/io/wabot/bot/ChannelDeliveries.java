package io.wabot.bot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wabot.observability.Events;
import io.wabot.queue.Job;
import io.wabot.queue.JobHandler;
import io.wabot.queue.JobOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code notify} queue's handler when the bot has its own {@link HandoffChannel}: the queue's retries around it. */
final class ChannelDeliveries implements JobHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelDeliveries.class);

  private final HandoffChannel channel;
  private final BotServices services;

  ChannelDeliveries(HandoffChannel channel, BotServices services) {
    this.channel = channel;
    this.services = services;
  }

  @Override
  public Future<JobOutcome> handle(Job job) {
    JsonObject event = job.payload().getJsonObject("event");
    if (event == null) {
      return Future.succeededFuture(JobOutcome.deadLetter("the job holds no event"));
    }
    HandoffChannel.Delivery delivery = new HandoffChannel.Delivery(job.id(), event.copy(), job.attempts());
    Future<Void> delivered;
    try {
      delivered = channel.deliver(delivery, services);
    } catch (RuntimeException e) {
      delivered = Future.failedFuture(e); // a channel that throws instead of failing its future is retried the same way
    }
    return delivered.map(v -> {
      Events.info(LOG, "escalation.delivered", job.correlation()).addKeyValue("event_type", delivery.type())
          .log("Hand-off event delivered to the bot's channel");
      return JobOutcome.done();
    }).otherwise(e -> {
      if (e instanceof HandoffChannel.Refused) {
        Events.error(LOG, "escalation.channel_rejected", job.correlation()).addKeyValue("error", String.valueOf(e.getMessage()))
            .log("The bot's hand-off channel refused the event; kept in the dead-letter queue");
        return JobOutcome.deadLetter("hand-off channel refused: " + e.getMessage());
      }
      Events.warn(LOG, "escalation.channel_failed", job.correlation()).addKeyValue("attempt", job.attempts())
          .addKeyValue("error", String.valueOf(e.getMessage())).log("The bot's hand-off channel failed; retrying later");
      return JobOutcome.retry("hand-off channel failed: " + e.getMessage());
    });
  }
}
