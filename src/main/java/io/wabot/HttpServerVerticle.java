package io.wabot;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import io.wabot.admin.AdminRoutes;
import io.wabot.bot.BotRoutes;
import io.wabot.cluster.ClusterMembership;
import io.wabot.config.AppConfig;
import io.wabot.conversation.StateStore;
import io.wabot.conversation.handoff.AgentReplyRoutes;
import io.wabot.conversation.handoff.ConversationFinder;
import io.wabot.conversation.handoff.HandbackRoutes;
import io.wabot.customer.CustomerDirectories;
import io.wabot.customer.CustomerDirectory;
import io.wabot.customer.CustomerRoutes;
import io.wabot.flows.FlowsRoutes;
import io.wabot.http.HttpFailures;
import io.wabot.http.IngressGuard;
import io.wabot.http.IngressLimits;
import io.wabot.media.MediaRoutes;
import io.wabot.media.MediaStore;
import io.wabot.media.MediaStores;
import io.wabot.media.SignedMediaUrls;
import io.wabot.numbers.BusinessNumbers;
import io.wabot.observability.HealthRoutes;
import io.wabot.observability.MetricsRoutes;
import io.wabot.observability.Rejections;
import io.wabot.observability.alerts.AccountHealth;
import io.wabot.queue.JobQueue;
import io.wabot.queue.Keyspace;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.redis.RedisClients;
import io.wabot.reload.ConfigReload;
import io.wabot.reload.ReloadRoutes;
import io.wabot.sandbox.SandboxRoutes;
import io.wabot.webhook.SkippedMessages;
import io.wabot.webhook.StatusStore;
import io.wabot.webhook.WebhookRoutes;
import io.wabot.sender.SenderStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP front door: mounts the routes of each feature on one router and serves them. Stopping it
 * stops new webhooks first and lets requests in flight finish, which is why it is undeployed first.
 */
public final class HttpServerVerticle extends VerticleBase {

  private final AppConfig config;
  private final ClusterMembership cluster;
  private final BotRoutes bot;
  private final MeterRegistry registry;
  private HttpServer server;
  private SandboxRoutes sandbox;
  private Redis redis;
  private Rejections rejections;

  /** How often refused requests of each kind are summed up in one log event. */
  static final Duration REJECTION_REPORT_INTERVAL = Duration.ofSeconds(10);
  private MediaStore media;

  /**
   * @param cluster this node's view of the cluster, for the {@code cluster} readiness check; null when not clustered
   * @param bot      the bot's WhatsApp Flows handlers and routes
   * @param registry where the ingress guard, refusals and {@code /metrics} count
   */
  public HttpServerVerticle(AppConfig config, ClusterMembership cluster, BotRoutes bot, MeterRegistry registry) {
    this.config = config;
    this.registry = registry;
    this.cluster = cluster;
    this.bot = bot;
  }

  @Override
  public Future<?> start() {
    redis = RedisClients.pooled(vertx, config.redis());
    Router router = Router.router(vertx);
    rejections = new Rejections(vertx, registry, REJECTION_REPORT_INTERVAL);
    IngressLimits limits = IngressLimits.of(vertx, config.http(), registry);
    IngressGuard guard = new IngressGuard(vertx, config.http(), limits, rejections);
    router.route().handler(guard::handle); // first: admission and timeouts come before any feature
    JobQueue inbound = new RedisJobQueue(vertx, redis, config.queue(), config.redis(), Queues.INBOUND);
    JobQueue outbound = new RedisJobQueue(vertx, redis, config.queue(), config.redis(), Queues.OUTBOUND);
    HealthRoutes health = new HealthRoutes(vertx, redis, config.redis().commandTimeout())
        .register("graph-api", SenderStatus.readinessCheck(vertx));
    if (cluster != null) {
      health.register("cluster", cluster.readinessCheck());
    }
    health.mount(router);
    MetricsRoutes.mount(router, registry, config.http().metricsToken(), rejections);
    StatusStore statuses = new StatusStore(redis, config);
    SkippedMessages skipped = new SkippedMessages(redis, config);
    BusinessNumbers numbers = BusinessNumbers.of(vertx, config.whatsapp());
    CustomerDirectories directories = new CustomerDirectories(redis, Keyspace.of(config.queue()), config.redis().commandTimeout(),
        registry, numbers);
    new WebhookRoutes(vertx, config, inbound, statuses, directories, numbers, skipped,
        new AccountHealth(redis, config.queue()), limits, rejections).mount(router);
    JobQueue notify = new RedisJobQueue(vertx, redis, config.queue(), config.redis(), Queues.NOTIFY);
    JobQueue downloads = new RedisJobQueue(vertx, redis, config.queue(), config.redis(), Queues.MEDIA);
    AdminRoutes admin = new AdminRoutes(vertx, config,
        Map.of(Queues.INBOUND, inbound, Queues.OUTBOUND, outbound, Queues.NOTIFY, notify, Queues.MEDIA, downloads),
        statuses, rejections);
    skipped.mount(admin.router());
    StateStore states = new StateStore(redis, Keyspace.of(config.queue()), config.conversation().stateTtl());
    // Each number's own alias map; phone keys from before identities are the default number's only.
    ConversationFinder conversations = new ConversationFinder(numbers, number -> directories.of(number.phoneNumberId()));
    new HandbackRoutes(inbound, states, conversations).mount(admin.router());
    new AgentReplyRoutes(inbound, states, conversations, Clock.systemUTC()).mount(admin.router());
    new CustomerRoutes(directories, numbers).mount(admin.router());
    ConfigReload.of(vertx).ifPresent(reload -> new ReloadRoutes(reload).mount(admin.router()));
    admin.mount(router);
    media = MediaStores.create(vertx, config.media());
    new MediaRoutes(media, SignedMediaUrls.from(config.media(), config.whatsapp()), registry).mount(router);
    if (config.mode().sandbox()) {
      sandbox = new SandboxRoutes(vertx);
      sandbox.mount(router);
    }
    bot.mount(router, vertx, redis);
    Future<Void> flows = FlowsRoutes.mount(vertx, config, redis, router, limits, rejections,
        () -> bot.flowEndpoints(vertx, redis));
    router.route().last().handler(ctx -> ctx.response().setStatusCode(404).end());
    router.route().failureHandler(new HttpFailures());
    server = guard.watch(vertx.createHttpServer(guard.configure(new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setCompressionSupported(true))));
    return flows.compose(v -> server.requestHandler(router).listen());
  }

  @Override
  public Future<?> stop() {
    long graceMs = Math.max(200, config.mode().httpDrainBudget().toMillis());
    if (sandbox != null) {
      sandbox.close(); // open event streams would otherwise hold the shutdown until its deadline
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.shutdown(graceMs, TimeUnit.MILLISECONDS);
    return closed.eventually(() -> {
      if (rejections != null) {
        rejections.close();
      }
      if (redis != null) {
        redis.close();
      }
      return media == null ? Future.succeededFuture() : media.close();
    });
  }
}
