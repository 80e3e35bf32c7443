package io.wabot.conversation.handoff;

import io.vertx.core.Future;
import io.wabot.config.AppConfig;
import io.wabot.conversation.BotParts;
import io.wabot.observability.Events;
import io.wabot.queue.JobHandler;
import io.wabot.queue.QueueWork;
import io.wabot.queue.QueueWorkerVerticle;
import io.wabot.queue.Queues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the {@code notify} queue's hand-off events: to the bot's own channel when it has one, else to the
 * team's webhook ({@link EscalationWebhook}).
 */
public final class NotifyWorker {

  private static final Logger LOG = LoggerFactory.getLogger(NotifyWorker.class);

  private NotifyWorker() {
  }

  public static QueueWorkerVerticle verticle(AppConfig config, BotParts bot) {
    return new QueueWorkerVerticle(config, Queues.NOTIFY, config.conversation().escalation().notifyConcurrency(),
        (vertx, redis, queue) -> {
          if (!config.conversation().escalation().notifiesAnyone() && !bot.ownHandoffChannel()) {
            Events.warn(LOG, "escalation.no_channel").log("No escalation channel is set (ESCALATION_WEBHOOK_URL,"
                + " AGENT_WHATSAPP_NUMBER): customers who ask for a person are told one will reply, but nobody is notified");
          }
          EscalationWebhook webhook = new EscalationWebhook(vertx, config.conversation().escalation());
          JobHandler handler = bot.ownHandoffChannel() ? bot.handoffChannel(vertx, redis) : webhook;
          return Future.succeededFuture(new QueueWork() {
            @Override
            public JobHandler handler() {
              return handler;
            }

            @Override
            public Future<Void> close() {
              webhook.close();
              return Future.succeededFuture();
            }
          });
        });
  }
}
