package io.wabot.media;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Redis;
import io.wabot.observability.Metrics;
import io.wabot.config.AppConfig;
import io.wabot.queue.Keyspace;
import io.wabot.queue.QueueConsumer;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.redis.RedisClients;

/**
 * Runs the {@code media} queue: customers' media downloaded into the store, {@code media.downloadConcurrency}
 * at a time per node, with the queue's retries, back-off and dead letters ({@link MediaJobHandler}). Any node
 * of a cluster takes downloads; with the filesystem store, only share the queue between nodes that share the
 * folder.
 */
public final class MediaDownloadVerticle extends VerticleBase {

  private final AppConfig config;
  private Redis redis;
  private MediaStore store;
  private MediaDownloader downloader;
  private QueueConsumer consumer;

  public MediaDownloadVerticle(AppConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    redis = RedisClients.pooled(vertx, config.redis());
    store = MediaStores.create(vertx, config.media());
    int concurrency = config.media().downloadConcurrency();
    downloader = new MediaDownloader(vertx, config.whatsapp(), config.media(), store,
        MediaDownloader.policy(config.media(), config.whatsapp(), config.mode().sandbox()), concurrency,
        Metrics.registry(vertx));
    MediaJobHandler handler = new MediaJobHandler(downloader, redis, Keyspace.of(config.queue()),
        config.queue().maxAttempts(), config.media().retention());
    consumer = new QueueConsumer(vertx, config, new RedisJobQueue(vertx, redis, config.queue(), config.redis(), Queues.MEDIA),
        handler, concurrency);
    return consumer.start();
  }

  @Override
  public Future<?> stop() {
    Future<Void> stopped = consumer == null ? Future.succeededFuture() : consumer.stop();
    return stopped.eventually(() -> downloader.close()).eventually(() -> store.close()).eventually(() -> {
      redis.close();
      return Future.succeededFuture();
    });
  }
}
