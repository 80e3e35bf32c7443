package io.wabot.queue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.observability.Metrics;
import io.wabot.redis.RedisClients;

/**
 * Runs one {@link QueueConsumer} over one queue with a given concurrency: the lifecycle every worker
 * (conversation, notify, sender) shares. The instance opens its own pooled Redis client, builds its
 * work with it, starts the consumer, and on stop lets the consumer drain before the work and the
 * client are closed, so a job finishing during shutdown still has what it needs.
 */
public final class QueueWorkerVerticle extends VerticleBase {

  /** Builds one instance's work on its own event loop, with its own Redis client and queue. */
  @FunctionalInterface
  public interface WorkFactory {
    Future<QueueWork> create(Vertx vertx, Redis redis, RedisJobQueue queue);
  }

  private final AppConfig config;
  private final String queueName;
  private final int concurrency;
  private final WorkFactory factory;
  private Redis redis;
  private QueueWork work;
  private QueueConsumer consumer;

  public QueueWorkerVerticle(AppConfig config, String queueName, int concurrency, WorkFactory factory) {
    this.config = config;
    this.queueName = queueName;
    this.concurrency = concurrency;
    this.factory = factory;
  }

  @Override
  public Future<?> start() {
    redis = RedisClients.pooled(vertx, config.redis());
    RedisJobQueue queue = new RedisJobQueue(vertx, redis, config.queue(), config.redis(), queueName);
    return factory.create(vertx, redis, queue).compose(created -> {
      work = created;
      // The registry bound to this instance's Vert.x: the application's, resolved where the worker is wired.
      consumer = new QueueConsumer(vertx, config, queue, created.handler(), concurrency, Metrics.registry(vertx));
      return created.start(consumer::wake);
    }).compose(v -> consumer.start());
  }

  @Override
  public Future<?> stop() {
    Future<Void> stopped = consumer == null ? Future.succeededFuture() : consumer.stop();
    return stopped
        .eventually(() -> work == null ? Future.succeededFuture() : work.close())
        .eventually(() -> {
          if (redis != null) {
            redis.close();
          }
          return Future.succeededFuture();
        });
  }
}
