package io.wabot.conversation;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.wabot.config.AppConfig;
import io.wabot.customer.CustomerDirectory;
import io.wabot.flows.FlowTokens;
import io.wabot.media.MediaInbox;
import io.wabot.media.MediaStore;
import io.wabot.media.MediaStores;
import io.wabot.media.SignedMediaUrls;
import io.wabot.observability.Metrics;
import io.wabot.queue.JobHandler;
import io.wabot.queue.Keyspace;
import io.wabot.queue.QueueWork;
import io.wabot.queue.QueueWorkerVerticle;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.whatsapp.catalog.CatalogRegistry;
import io.wabot.whatsapp.sync.SyncedLists;
import java.time.Clock;

/**
 * Runs the conversation engine over the inbound queue, {@code conversation.concurrency} conversations
 * in flight per instance. Deploy as many instances as event loops you want answering
 * ({@code conversation.workerInstances}); any node of a cluster can run them.
 */
public final class ConversationWorker {

  private ConversationWorker() {
  }

  public static QueueWorkerVerticle verticle(AppConfig config, BotParts bot) {
    return new QueueWorkerVerticle(config, Queues.INBOUND, config.conversation().concurrency(), (vertx, redis, queue) -> {
      Keyspace keyspace = Keyspace.of(config.queue());
      MediaStore media = MediaStores.create(vertx, config.media());
      MediaInbox inbox = new MediaInbox(redis, keyspace,
          new RedisJobQueue(vertx, redis, config.queue(), config.redis(), Queues.MEDIA), media, config.media().turnWait());
      // The flows' turn.ui() checks product ids against the catalog as the sender does: the process's one copy.
      SyncedLists lists = SyncedLists.of(vertx, config.whatsapp());
      lists.hold();
      CatalogRegistry products = lists.catalog(config.whatsapp().defaultNumber());
      Future<Void> synced = lists.start(config.whatsapp().numbers(), false);
      return synced.compose(v -> ConversationSetup.load(vertx, redis, config.conversation(), bot)).<QueueWork>map(setup -> {
        MeterRegistry registry = Metrics.registry(vertx);
        ConversationEngine engine = new ConversationEngine(config.conversation(),
            new StateStore(redis, keyspace, config.conversation().stateTtl()), bot.consent(vertx, redis),
            new CustomerDirectory(redis, keyspace, config.redis().commandTimeout(), config.whatsapp().phoneNumberId(),
                registry),
            setup, Clock.systemUTC(), registry, config.queue().maxAttempts(),
            WhatsAppFlows.using(new FlowTokens(redis, config), config.flows().enabled()), inbox,
            SignedMediaUrls.from(config.media(), config.whatsapp()), products);
        return new QueueWork() {
          @Override
          public JobHandler handler() {
            return engine;
          }

          @Override
          public Future<Void> close() {
            lists.release();
            return media.close();
          }
        };
      }).onFailure(e -> {
        media.close(); // nothing will run to close it later
        lists.release();
      });
    });
  }
}
