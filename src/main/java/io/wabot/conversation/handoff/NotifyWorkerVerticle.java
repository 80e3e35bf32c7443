package io.wabot.conversation.handoff;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.conversation.BotParts;
import io.wabot.observability.Events;
import io.wabot.queue.JobHandler;
import io.wabot.queue.QueueConsumer;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.redis.RedisClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the {@code notify} queue's hand-off events: to the bot's own channel when it has one, else to the
 * team's webhook ({@link EscalationWebhook}).
 */
public final class NotifyWorkerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(NotifyWorkerVerticle.class);

  private final AppConfig config;
  private final BotParts bot;
  private Redis redis;
  private QueueConsumer consumer;
  private EscalationWebhook webhook;

  public NotifyWorkerVerticle(AppConfig config, BotParts bot) {
    this.config = config;
    this.bot = bot;
  }

  @Override
  public Future<?> start() {
    if (!config.conversation().escalation().notifiesAnyone() && !bot.ownHandoffChannel()) {
      Events.warn(LOG, "escalation.no_channel").log("No escalation channel is set (ESCALATION_WEBHOOK_URL, AGENT_WHATSAPP_NUMBER):"
          + " customers who ask for a person are told one will reply, but nobody is notified");
    }
    redis = RedisClients.pooled(vertx, config.redis());
    webhook = new EscalationWebhook(vertx, config.conversation().escalation());
    JobHandler handler = bot.ownHandoffChannel() ? bot.handoffChannel(vertx, redis) : webhook;
    consumer = new QueueConsumer(vertx, config, new RedisJobQueue(vertx, redis, config.queue(), config.redis(), Queues.NOTIFY),
        handler, config.conversation().escalation().notifyConcurrency());
    return consumer.start();
  }

  @Override
  public Future<?> stop() {
    return consumer.stop().eventually(() -> {
      webhook.close();
      redis.close();
      return Future.succeededFuture();
    });
  }
}
