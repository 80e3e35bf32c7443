package io.wabot.conversation;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.config.BotConfig;
import io.wabot.config.ConversationConfig;
import io.wabot.config.NumberConfig;
import io.wabot.conversation.consent.ConsentHook;
import io.wabot.customer.CustomerDirectories;
import io.wabot.flows.FlowTokens;
import io.wabot.media.MediaInbox;
import io.wabot.media.MediaStore;
import io.wabot.media.MediaStores;
import io.wabot.media.SignedMediaUrls;
import io.wabot.numbers.BusinessNumbers;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the conversation engine over the inbound queue, {@code conversation.concurrency} conversations
 * in flight per instance. Deploy as many instances as event loops you want answering
 * ({@code conversation.workerInstances}); any node of a cluster can run them.
 *
 * <p>Each business number has its own engine ({@link ConversationEngines}): its conversation settings, its bot
 * ({@code bot.definition} and settings), its customer directory. Numbers with the same bot and conversation
 * settings share the flows and copy, loaded once per worker.
 */
public final class ConversationWorker {

  private ConversationWorker() {
  }

  public static QueueWorkerVerticle verticle(AppConfig config, BotParts bot) {
    return new QueueWorkerVerticle(config, Queues.INBOUND, config.conversation().concurrency(), (vertx, redis, queue) -> {
      MediaStore media = MediaStores.create(vertx, config.media());
      BusinessNumbers numbers = BusinessNumbers.of(vertx, config.whatsapp());
      Parts parts = new Parts(vertx, redis, config, bot, media, numbers);
      ConversationEngines engines = new ConversationEngines(numbers, number -> parts.engine(number, numbers));
      // The numbers configured at start are ready before the first job (their catalogs synced, their flows loaded).
      List<Future<JobHandler>> ready = numbers.all().stream().map(engines::engine).toList();
      return Future.all(ready).<QueueWork>map(v -> new QueueWork() {
        @Override
        public JobHandler handler() {
          return engines;
        }

        @Override
        public Future<Void> close() {
          parts.lists.release();
          return media.close();
        }
      }).onFailure(e -> {
        media.close(); // nothing will run to close it later
        parts.lists.release();
      });
    });
  }

  /**
   * What one worker's engines share: the media inbox, the flows and copy per distinct bot and settings; the
   * catalogs are the process's ({@link SyncedLists}), shared with the sender and the other workers.
   */
  private static final class Parts {

    private final Vertx vertx;
    private final Redis redis;
    private final AppConfig config;
    private final BotParts bot;
    private final Keyspace keyspace;
    private final MediaInbox inbox;
    private final MeterRegistry registry;
    private final WhatsAppFlows whatsappFlows;
    private final SignedMediaUrls links;
    private final Map<SetupKey, Future<ConversationSetup>> setups = new HashMap<>();
    private final SyncedLists lists;
    private final CustomerDirectories directories;

    /** Numbers with the same bot and conversation settings answer with the same flows and copy. */
    private record SetupKey(BotConfig bot, ConversationConfig conversation) {
    }


    Parts(Vertx vertx, Redis redis, AppConfig config, BotParts bot, MediaStore media, BusinessNumbers numbers) {
      this.vertx = vertx;
      this.redis = redis;
      this.config = config;
      this.bot = bot;
      this.keyspace = Keyspace.of(config.queue());
      this.inbox = new MediaInbox(redis, keyspace,
          new RedisJobQueue(vertx, redis, config.queue(), config.redis(), Queues.MEDIA), media, config.media().turnWait());
      this.registry = Metrics.registry(vertx);
      this.whatsappFlows = WhatsAppFlows.using(new FlowTokens(redis, config), config.flows().enabled());
      this.links = SignedMediaUrls.from(config.media(), config.whatsapp());
      this.lists = SyncedLists.of(vertx, config.whatsapp());
      lists.hold();
      // Each number's own alias map; phone keys from before identities are the default number's only.
      this.directories = new CustomerDirectories(redis, keyspace, config.redis().commandTimeout(), registry, numbers);
    }

    Future<JobHandler> engine(NumberConfig number, BusinessNumbers numbers) {
      ConversationConfig conversation = number.conversation();
      BotParts parts = bot.forNumber(number);
      SetupKey key = new SetupKey(number.bot(), conversation);
      Future<ConversationSetup> setup = setups.get(key);
      if (setup == null || setup.failed()) {
        setup = ConversationSetup.load(vertx, redis, conversation, parts);
        setups.put(key, setup);
      }
      // The flows' turn.ui() checks product ids against the number's catalog as the sender does.
      Future<CatalogRegistry> catalog = lists.syncedCatalog(number);
      ServedNumber served = ServedNumber.of(number, numbers.all().size() > 1);
      ConsentHook consent = parts.consent(vertx, redis);
      return Future.all(setup, catalog).map(ready -> new ConversationEngine(conversation,
          new StateStore(redis, keyspace, conversation.stateTtl()), consent,
          directories.of(number.phoneNumberId()),
          ready.resultAt(0), Clock.systemUTC(), registry, config.queue().maxAttempts(), whatsappFlows, inbox, links,
          ready.<CatalogRegistry>resultAt(1), served));
    }
  }
}
