package io.wabot.whatsapp;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.observability.MetricNames;
import io.wabot.observability.Metrics;
import io.wabot.queue.QueueConsumer;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.redis.RedisClients;
import io.wabot.whatsapp.templates.TemplateRegistry;
import io.wabot.whatsapp.templates.TemplateSync;
import java.time.Duration;
import java.util.UUID;

/**
 * Sends the outbound queue's jobs to the Graph API: wires the client, the shared throughput limiter,
 * the circuit breaker and the {@link OutboundJobHandler} to a {@link QueueConsumer}. Each instance
 * has its own event loop, connections and breaker ({@code sender.instances}).
 */
public final class SenderVerticle extends VerticleBase {

  private final AppConfig config;
  private final String instance = "sender-" + UUID.randomUUID().toString().substring(0, 8);
  private Redis redis;
  private GraphApiClient client;
  private GraphGateway gateway;
  private final OutboundPreparation.Factory preparations;
  private OutboundPreparation preparation;
  private QueueConsumer consumer;
  private MessageConsumer<JsonObject> pauses;
  private Gauge breakerGauge;
  private InDoubtSends inDoubt;
  private TemplateSync templateSync;
  /** How often the account's templates are read again: a template paused or approved in WhatsApp Manager shows up within it. */
  static final Duration TEMPLATE_SYNC_PERIOD = Duration.ofMinutes(15);

  public SenderVerticle(AppConfig config) {
    this(config, (vertx, redis, keyspace) -> OutboundPreparation.NONE);
  }

  /** @param preparations makes each instance's step before sending (uploads of stored media files) */
  public SenderVerticle(AppConfig config, OutboundPreparation.Factory preparations) {
    this.config = config;
    this.preparations = preparations;
  }

  @Override
  public Future<?> start() {
    MeterRegistry registry = Metrics.registry();
    redis = RedisClients.pooled(vertx, config.redis());
    RedisJobQueue queue = new RedisJobQueue(vertx, redis, config.queue(), config.redis(), Queues.OUTBOUND);
    client = new GraphApiClient(vertx, config.whatsapp(), config.sender().requestTimeout(), config.sender().concurrency());
    ThroughputLimiter limiter = new ThroughputLimiter(vertx, redis, config.redis().commandTimeout(),
        queue.keyspace().key("ratelimit:" + config.whatsapp().phoneNumberId()), config.sender().maxMessagesPerSecond());
    gateway = new GraphGateway(vertx, client, limiter, config.sender(), instance, registry);
    inDoubt = new InDoubtSends(vertx, config.sender().inDoubtGrace());
    preparation = preparations.create(vertx, redis, queue.keyspace());
    TemplateRegistry templates = new TemplateRegistry();
    OutboundJobHandler handler = new OutboundJobHandler(vertx, queue, gateway, config.sender(), config.conversation(),
        registry, inDoubt, preparation, templates);
    // Only an account id says whose templates to read; without it template requests go out unchecked, as before.
    String account = config.flows().businessAccountId();
    Future<Void> synced = Future.succeededFuture();
    if (account != null) {
      templateSync = new TemplateSync(vertx, config.whatsapp(), account, templates);
      synced = templateSync.start(TEMPLATE_SYNC_PERIOD);
    }
    consumer = new QueueConsumer(vertx, config, queue, handler, config.sender().concurrency());
    gateway.onRecovery(consumer::wake);
    breakerGauge = Gauge.builder(MetricNames.BREAKER_STATE, vertx, v -> SenderStatus.level(SenderStatus.breakerState(v)))
        .description("Graph API circuit breaker: 0 closed, 1 half-open, 2 open").register(registry);
    // A pause raised by any process (clustered) or instance stops this one claiming too, and it looks
    // for work again as soon as the pause is over.
    pauses = vertx.eventBus().consumer(SenderStatus.PAUSE_ADDRESS, message -> {
      Long pauseMs = message.body().getLong("pauseMs");
      long until = pauseMs != null ? System.currentTimeMillis() + pauseMs : message.body().getLong("untilMs", 0L);
      SenderStatus.pauseUntil(vertx, until);
      vertx.setTimer(Math.max(1, until - System.currentTimeMillis() + 1), id -> consumer.wake());
    });
    return Future.all(pauses.completion(), inDoubt.start(), synced).compose(v -> consumer.start());
  }

  @Override
  public Future<?> stop() {
    if (templateSync != null) {
      templateSync.stop();
    }
    Future<Void> stopped = consumer == null ? Future.succeededFuture() : consumer.stop();
    return stopped.eventually(() -> {
      if (pauses != null) {
        pauses.unregister();
      }
      if (inDoubt != null) {
        inDoubt.close();
      }
      if (breakerGauge != null) {
        Metrics.registry().remove(breakerGauge);
      }
      if (gateway != null) {
        gateway.close();
      }
      if (preparation != null) {
        preparation.close();
      }
      if (client != null) {
        client.close();
      }
      if (redis != null) {
        redis.close();
      }
      return Future.succeededFuture();
    });
  }
}
