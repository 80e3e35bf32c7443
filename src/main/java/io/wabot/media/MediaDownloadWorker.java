package io.wabot.media;

import io.vertx.core.Future;
import io.wabot.config.AppConfig;
import io.wabot.numbers.BusinessNumbers;
import io.wabot.observability.Metrics;
import io.wabot.queue.JobHandler;
import io.wabot.queue.Keyspace;
import io.wabot.queue.QueueWork;
import io.wabot.queue.QueueWorkerVerticle;
import io.wabot.queue.Queues;

/**
 * Runs the {@code media} queue: customers' media downloaded into the store, {@code media.downloadConcurrency}
 * at a time per node, with the queue's retries, back-off and dead letters ({@link MediaJobHandler}). Any node
 * of a cluster takes downloads; with the filesystem store, only share the queue between nodes that share the
 * folder.
 */
public final class MediaDownloadWorker {

  private MediaDownloadWorker() {
  }

  public static QueueWorkerVerticle verticle(AppConfig config) {
    int concurrency = config.media().downloadConcurrency();
    return new QueueWorkerVerticle(config, Queues.MEDIA, concurrency, (vertx, redis, queue) -> {
      MediaStore store = MediaStores.create(vertx, config.media());
      MediaDownloader downloader = new MediaDownloader(vertx, config.whatsapp(), config.media(), store,
          MediaDownloader.policy(config.media(), config.whatsapp(), config.mode().sandbox()), concurrency,
          Metrics.registry(vertx));
      BusinessNumbers numbers = BusinessNumbers.of(vertx, config.whatsapp());
      MediaJobHandler handler = new MediaJobHandler(downloader, numbers::forJob, redis, Keyspace.of(config.queue()),
          config.queue().maxAttempts(), config.media().retention());
      return Future.succeededFuture(new QueueWork() {
        @Override
        public JobHandler handler() {
          return handler;
        }

        @Override
        public Future<Void> close() {
          return downloader.close().eventually(store::close);
        }
      });
    });
  }
}
