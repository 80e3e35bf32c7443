package io.wabot.conversation;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.customer.CustomerDirectory;
import io.wabot.media.MediaInbox;
import io.wabot.media.MediaStore;
import io.wabot.media.MediaStores;
import io.wabot.media.SignedMediaUrls;
import io.wabot.flows.FlowTokens;
import io.wabot.observability.Metrics;
import io.wabot.queue.Keyspace;
import io.wabot.queue.QueueConsumer;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.redis.RedisClients;
import java.time.Clock;

/**
 * Runs the conversation engine over the inbound queue: one {@link QueueConsumer} per instance, with
 * {@code conversation.concurrency} conversations in flight each. Deploy as many instances as event
 * loops you want answering ({@code conversation.workerInstances}); any node of a cluster can run them.
 */
public final class ConversationWorkerVerticle extends VerticleBase {

  private final AppConfig config;
  private final BotParts bot;
  private Redis redis;
  private QueueConsumer consumer;
  private MediaStore media;

  public ConversationWorkerVerticle(AppConfig config, BotParts bot) {
    this.config = config;
    this.bot = bot;
  }

  @Override
  public Future<?> start() {
    redis = RedisClients.pooled(vertx, config.redis());
    Keyspace keyspace = Keyspace.of(config.queue());
    media = MediaStores.create(vertx, config.media());
    MediaInbox inbox = new MediaInbox(redis, keyspace,
        new RedisJobQueue(vertx, redis, config.queue(), config.redis(), Queues.MEDIA), media, config.media().turnWait());
    return ConversationSetup.load(vertx, redis, config.conversation(), bot).compose(setup -> {
      MeterRegistry registry = Metrics.registry(vertx);
      ConversationEngine engine = new ConversationEngine(config.conversation(),
          new StateStore(redis, keyspace, config.conversation().stateTtl()), bot.consent(vertx, redis),
          new CustomerDirectory(redis, keyspace, config.redis().commandTimeout(), config.whatsapp().phoneNumberId(), registry),
          setup, Clock.systemUTC(), registry, config.queue().maxAttempts(),
          WhatsAppFlows.using(new FlowTokens(redis, config), config.flows().enabled()), inbox,
          SignedMediaUrls.from(config.media(), config.whatsapp()));
      consumer = new QueueConsumer(vertx, config, new RedisJobQueue(vertx, redis, config.queue(), config.redis(), Queues.INBOUND),
          engine, config.conversation().concurrency());
      return consumer.start();
    });
  }

  @Override
  public Future<?> stop() {
    Future<Void> stopped = consumer == null ? Future.succeededFuture() : consumer.stop();
    return stopped.eventually(() -> media == null ? Future.succeededFuture() : media.close()).eventually(() -> {
      if (redis != null) {
        redis.close();
      }
      return Future.succeededFuture();
    });
  }
}
