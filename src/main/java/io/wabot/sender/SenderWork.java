package io.wabot.sender;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.observability.MetricNames;
import io.wabot.observability.Metrics;
import io.wabot.queue.JobHandler;
import io.wabot.queue.QueueWork;
import io.wabot.queue.QueueWorkerVerticle;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.whatsapp.catalog.CatalogRegistry;
import io.wabot.whatsapp.catalog.CatalogSync;
import io.wabot.whatsapp.templates.TemplateRegistry;
import io.wabot.whatsapp.templates.TemplateSync;
import java.time.Duration;
import java.util.UUID;

/**
 * Sends the outbound queue's jobs to the Graph API: the client, the shared throughput limiter, the
 * circuit breaker and the {@link OutboundJobHandler}, run by a {@link QueueWorkerVerticle}. Each
 * instance has its own event loop, connections and breaker ({@code sender.instances}).
 */
public final class SenderWork implements QueueWork {

  /**
   * How often the account's templates and the catalog's products are read again: a template paused or a
   * product added in Meta's managers shows up within it.
   */
  static final Duration TEMPLATE_SYNC_PERIOD = Duration.ofMinutes(15);

  private final Vertx vertx;
  private final GraphApiClient client;
  private final GraphGateway gateway;
  private final InDoubtSends inDoubt;
  private final OutboundJobHandler handler;
  private final OutboundPreparation preparation;
  private final TemplateRegistry templates = new TemplateRegistry();
  private final TemplateSync templateSync;
  private final CatalogRegistry catalog = new CatalogRegistry();
  private final CatalogSync catalogSync;
  private final MeterRegistry registry;
  private Gauge breakerGauge;

  private SenderWork(Vertx vertx, Redis redis, RedisJobQueue queue, AppConfig config,
      OutboundPreparation.Factory preparations, MeterRegistry registry) {
    this.vertx = vertx;
    this.registry = registry;
    String instance = "sender-" + UUID.randomUUID().toString().substring(0, 8);
    client = new GraphApiClient(vertx, config.whatsapp(), config.sender().requestTimeout(), config.sender().concurrency());
    ThroughputLimiter limiter = new ThroughputLimiter(vertx, redis, config.redis().commandTimeout(),
        queue.keyspace().key("ratelimit:" + config.whatsapp().phoneNumberId()), config.sender().maxMessagesPerSecond());
    gateway = new GraphGateway(vertx, client, limiter, config.sender(), instance, registry);
    inDoubt = new InDoubtSends(vertx, config.sender().inDoubtGrace());
    preparation = preparations.create(vertx, redis, queue.keyspace());
    handler = new OutboundJobHandler(vertx, queue, gateway, config.sender(), config.conversation(), registry, inDoubt,
        preparation, templates, catalog);
    // Only an account id says whose templates to read; without it template requests go out unchecked, as before.
    String account = config.flows().businessAccountId();
    templateSync = account == null ? null : new TemplateSync(vertx, config.whatsapp(), account, templates);
    // Likewise the catalog: without WHATSAPP_CATALOG_ID there is no catalog to check product ids against.
    String catalogId = config.conversation().catalogId();
    catalogSync = catalogId == null ? null : new CatalogSync(vertx, config.whatsapp(), catalogId, catalog);
  }

  public static QueueWorkerVerticle verticle(AppConfig config) {
    return verticle(config, (vertx, redis, keyspace) -> OutboundPreparation.NONE);
  }

  /** @param preparations makes each instance's step before sending (uploads of stored media files) */
  public static QueueWorkerVerticle verticle(AppConfig config, OutboundPreparation.Factory preparations) {
    return new QueueWorkerVerticle(config, Queues.OUTBOUND, config.sender().concurrency(),
        (vertx, redis, queue) -> Future.succeededFuture(new SenderWork(vertx, redis, queue, config, preparations,
            Metrics.registry(vertx))));
  }

  @Override
  public JobHandler handler() {
    return handler;
  }

  @Override
  public Future<Void> start(Runnable wakeConsumer) {
    breakerGauge = Gauge.builder(MetricNames.BREAKER_STATE, vertx, v -> SenderStatus.level(SenderStatus.breakerState(v)))
        .description("Graph API circuit breaker: 0 closed, 1 half-open, 2 open").register(registry);
    Future<Void> synced = templateSync == null ? Future.succeededFuture() : templateSync.start(TEMPLATE_SYNC_PERIOD);
    Future<Void> catalogSynced = catalogSync == null ? Future.succeededFuture() : catalogSync.start(CatalogSync.PERIOD);
    return Future.all(gateway.gate().start(wakeConsumer), inDoubt.start(), synced, catalogSynced).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    if (templateSync != null) {
      templateSync.stop();
    }
    if (catalogSync != null) {
      catalogSync.stop();
    }
    inDoubt.close();
    if (breakerGauge != null) {
      registry.remove(breakerGauge);
    }
    gateway.close();
    return preparation.close().eventually(() -> {
      client.close();
      return Future.succeededFuture();
    });
  }
}
