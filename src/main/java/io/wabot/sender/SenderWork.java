package io.wabot.sender;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.config.SenderConfig;
import io.wabot.observability.MetricNames;
import io.wabot.observability.Metrics;
import io.wabot.queue.JobHandler;
import io.wabot.queue.QueueWork;
import io.wabot.queue.QueueWorkerVerticle;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.config.NumberConfig;
import io.wabot.numbers.BusinessNumbers;
import io.wabot.whatsapp.sync.SyncedLists;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Sends the outbound queue's jobs to the Graph API: for each business number its client (its token and
 * messages URL), its throughput limiter and its circuit breaker ({@link SendingNumbers}), and the
 * {@link OutboundJobHandler}, run by a {@link QueueWorkerVerticle}. Each instance has its own event loop,
 * connections and breakers ({@code sender.instances}); the templates and catalogs it checks against are the
 * process's ({@link SyncedLists}).
 */
public final class SenderWork implements QueueWork {

  private final Vertx vertx;
  private final AppConfig config;
  private final SendingNumbers numbers;
  private final InDoubtSends inDoubt;
  private final OutboundJobHandler handler;
  private final OutboundPreparation preparation;
  private final SyncedLists lists;
  private final BusinessNumbers registered;
  private final MeterRegistry registry;
  private final List<Gauge> breakerGauges = new ArrayList<>();

  private SenderWork(Vertx vertx, Redis redis, RedisJobQueue queue, AppConfig config,
      OutboundPreparation.Factory preparations, MeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    String instance = "sender-" + UUID.randomUUID().toString().substring(0, 8);
    registered = BusinessNumbers.of(vertx, config.whatsapp());
    numbers = new SendingNumbers(vertx, registered, number -> gateway(redis, queue, instance, number),
        config.sender().requestTimeout().plusSeconds(1));
    inDoubt = new InDoubtSends(vertx, config.sender().inDoubtGrace());
    preparation = preparations.create(vertx, redis, queue.keyspace());
    // Only a business account id says whose templates to read, only a catalog id which products: a number
    // without them sends its template and product requests unchecked, as before.
    lists = SyncedLists.of(vertx, config.whatsapp());
    lists.hold();
    handler = new OutboundJobHandler(vertx, queue, numbers, config.sender(), config.conversation(), registry, inDoubt,
        preparation, lists::templates, lists::catalog);
  }

  /**
   * One number's gateway: its token and messages URL, its throughput key and limit, its breaker and gauge, and
   * its window of requests in flight, with a connection for each request the window may hold.
   */
  private GraphGateway gateway(Redis redis, RedisJobQueue queue, String instance, NumberConfig number) {
    SendWindow window = window(config.sender(), number);
    GraphApiClient client = new GraphApiClient(vertx, config.whatsapp(), number, config.sender().requestTimeout(),
        window.most());
    ThroughputLimiter limiter = new ThroughputLimiter(vertx, redis, config.redis().commandTimeout(),
        queue.keyspace().key("ratelimit:" + number.phoneNumberId()), number.maxMessagesPerSecond());
    String label = number.label();
    breakerGauges.add(Gauge.builder(MetricNames.BREAKER_STATE, vertx, v -> SenderStatus.level(SenderStatus.breakerState(v, label)))
        .description("Graph API circuit breaker of each number: 0 closed, 1 half-open, 2 open").tag("number", label)
        .register(registry));
    return new GraphGateway(vertx, client, limiter, config.sender(), instance, label, registry, window);
  }

  /** A number's window: its tier, at least {@code sender.concurrency}, at most {@code sender.maxInFlight}. */
  static SendWindow window(SenderConfig sender, NumberConfig number) {
    return new SendWindow(number.maxMessagesPerSecond(), sender.concurrency(), sender.maxInFlight());
  }

  public static QueueWorkerVerticle verticle(AppConfig config) {
    return verticle(config, (vertx, redis, keyspace) -> OutboundPreparation.NONE);
  }

  /** @param preparations makes each instance's step before sending (uploads of stored media files) */
  public static QueueWorkerVerticle verticle(AppConfig config, OutboundPreparation.Factory preparations) {
    // The consumer may hold up to sender.maxInFlight jobs; the handler takes as many as its numbers' windows allow.
    return new QueueWorkerVerticle(config, Queues.OUTBOUND, config.sender().maxInFlight(),
        (vertx, redis, queue) -> Future.succeededFuture(new SenderWork(vertx, redis, queue, config, preparations,
            Metrics.registry(vertx))));
  }

  @Override
  public JobHandler handler() {
    return handler;
  }

  @Override
  public Future<Void> start(Runnable wakeConsumer) {
    // Each number's gateway is made by its first job; the lists of the numbers served now are read before the first.
    return Future.all(numbers.start(wakeConsumer), inDoubt.start(), lists.start(registered.all(), true)).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    lists.release();
    inDoubt.close();
    breakerGauges.forEach(registry::remove);
    return preparation.close().eventually(() -> {
      numbers.close();
      return Future.succeededFuture();
    });
  }
}
