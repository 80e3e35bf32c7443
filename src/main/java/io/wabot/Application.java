package io.wabot;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.wabot.bot.BotDiscovery;
import io.wabot.bot.BotRuntime;
import io.wabot.cluster.ClusterMembership;
import io.wabot.cluster.ClusterVerticle;
import io.wabot.cluster.HazelcastSetup;
import io.wabot.common.NodeName;
import io.wabot.config.AppConfig;
import io.wabot.config.ClusterConfig;
import io.wabot.config.ConfigLoader;
import io.wabot.config.ConversationConfig;
import io.wabot.config.LoadedConfig;
import io.wabot.conversation.ConversationWorker;
import io.wabot.conversation.handoff.NotifyWorker;
import io.wabot.media.MediaDownloadWorker;
import io.wabot.media.OutboundUploads;
import io.wabot.media.MediaSweeperVerticle;
import io.wabot.config.NumberConfig;
import io.wabot.numbers.BusinessNumbers;
import io.wabot.observability.AppMetrics;
import io.wabot.observability.Events;
import io.wabot.observability.Metrics;
import io.wabot.observability.alerts.AlertVerticle;
import io.wabot.observability.logs.LogBuffer;
import io.wabot.observability.logs.LogShipperVerticle;
import io.wabot.queue.QueueMaintenanceVerticle;
import io.wabot.queue.Queues;
import io.wabot.reload.ConfigReload;
import io.wabot.sandbox.SandboxVerticle;
import io.wabot.sender.SenderWork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: builds Vert.x, deploys the verticles in order and stops them in reverse order.
 *
 * <p>Order matters twice. Deploying, the consumers of work come up before the HTTP server that
 * accepts it. Stopping, the HTTP server goes first (no new webhooks), then the workers finish or hand
 * back their jobs, and log shipping goes last so it can flush what the others said.
 */
public final class Application {

  private static final Logger LOG = LoggerFactory.getLogger(Application.class);

  private AppConfig config;
  /** The configuration as read, before the sandbox or a free port adjusted it: what a reload compares with. */
  private final AppConfig loaded;
  /** Where a reload reads the configuration again: the environment's layers by default. */
  private Map<String, String> environment = System.getenv();
  private volatile ConfigReload reload;
  private final Deque<String> deployments = new ArrayDeque<>();
  private Vertx vertx;
  /** This node's view of the cluster; null when not clustered. */
  private ClusterMembership membership;

  private final BotRuntime bot;
  private MeterRegistry registry;

  /** Runs the bot registered on the class path ({@link BotRuntime#load}). */
  public Application(AppConfig config) {
    this(config, BotRuntime.load(config));
  }

  public Application(AppConfig config, BotRuntime bot) {
    this.config = config;
    this.loaded = config;
    this.bot = bot;
  }

  /**
   * The environment a reload reads its layers from ({@code CONFIG_FILE} and the variables); the process's own
   * unless set, before {@link #start}. Tests give the one they started from.
   */
  public Application reloadingFrom(Map<String, String> env) {
    this.environment = Map.copyOf(env);
    return this;
  }

  /**
   * Re-reads the configuration and applies the business numbers ({@code POST /admin/config/reload}, SIGHUP);
   * an invalid configuration is refused and the running one kept.
   *
   * @param trigger what asked for it, for the event
   */
  public Future<ConfigReload.Outcome> reload(String trigger) {
    if (reload == null) {
      return Future.failedFuture(new IllegalStateException("the service is not running"));
    }
    return reload.reload(trigger);
  }

  /** The configuration in effect (in sandbox mode, with the Graph API URL of the simulator once started). */
  public AppConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The cluster as this node sees it; empty when not clustered. */
  public java.util.Optional<ClusterMembership> cluster() {
    return java.util.Optional.ofNullable(membership);
  }

  public int httpPort() {
    return config.http().port();
  }

  public Future<Void> start() {
    AppMetrics metrics = new AppMetrics();
    registry = metrics.registry();
    return buildVertx(metrics)
        .compose(built -> {
          vertx = built;
          // HTTP_PORT=0 (tests): a free port, chosen only now, just before the server binds it, so that no
          // other process takes it meanwhile (joining a cluster takes seconds).
          if (config.http().port() == 0) {
            config = config.withHttp(config.http().withPort(freePort()));
          }
          Metrics.bind(vertx, metrics.registry());
          reload = new ConfigReload(loaded, BusinessNumbers.of(vertx, config.whatsapp()),
              () -> ConfigLoader.load(vertx, environment).map(Application::checkBots));
          ConfigReload.install(vertx, reload);
          if (membership != null) {
            NodeName.set(vertx, membership.self());
          }
          return deployObservability();
        })
        .compose(v -> deployCluster())
        .compose(v -> startSandbox())
        .compose(v -> deployServices())
        .onSuccess(v -> Events.info(LOG, "service.started")
            .addKeyValue("port", httpPort())
            .addKeyValue("mode", config.mode().name())
            .addKeyValue("cluster", config.cluster().enabled())
            .addKeyValue("node", NodeName.of(vertx))
            .addKeyValue("http_instances", config.http().instances())
            .addKeyValue("sender_instances", config.sender().instances())
            .addKeyValue("worker_instances", config.conversation().workerInstances())
            .addKeyValue("event_loops", config.mode().eventLoops())
            .log("whatsapp-chatbot started in {} mode on port {} (http x{}, sender x{}, workers x{} on {} event loops, cluster {})",
                config.mode().name(), httpPort(), config.http().instances(), config.sender().instances(),
                config.conversation().workerInstances(), config.mode().eventLoops(), config.cluster().enabled() ? "on as " + NodeName.of(vertx) : "off"));
  }

  /**
   * A reloaded configuration names bots too: the shared one (and its settings) and each number's must exist,
   * as at start-up, or the reload is refused before a number is served by a bot that cannot be built.
   */
  private static LoadedConfig checkBots(LoadedConfig loaded) {
    AppConfig next = loaded.config();
    BotRuntime.load(next);
    next.whatsapp().numbers().stream().map(number -> number.bot().definition()).distinct().forEach(BotDiscovery::find);
    return loaded;
  }

  /**
   * Plain Vert.x, or clustered with Hazelcast ({@code CLUSTER=true}): then the event bus spans every
   * node, and this returns once this node has joined (or formed) the cluster.
   */
  private Future<Vertx> buildVertx(AppMetrics metrics) {
    VertxBuilder builder = Vertx.builder().with(metrics.configure(vertxOptions())).withMetrics(metrics.factory());
    ClusterConfig cluster = config.cluster();
    if (!cluster.enabled()) {
      return Future.succeededFuture(builder.build());
    }
    HazelcastClusterManager manager = HazelcastSetup.clusterManager(cluster, config.mode().shutdownTimeout());
    long started = System.nanoTime();
    return builder.withClusterManager(manager).buildClustered().onSuccess(built -> {
      membership = new ClusterMembership(manager);
      Events.info(LOG, "cluster.joined")
          .addKeyValue("node", membership.self())
          .addKeyValue("members", membership.members())
          .addKeyValue("duration_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
          .addKeyValue("config", cluster.fromFile() ? cluster.configFile().toString() : "members " + cluster.members())
          .log("Joined the cluster as {}; {} member(s)", membership.self(), membership.members().size());
    });
  }

  /** Clustered: one verticle per node follows the members and the other nodes' breakers. */
  private Future<Void> deployCluster() {
    return membership == null ? Future.succeededFuture() : deploy("cluster", () -> new ClusterVerticle(membership, registry), 1);
  }

  /** Log shipping first, so it is stopped last and flushes what the others say while stopping; then alerting. */
  private Future<Void> deployObservability() {
    return deploy("log-shipper", () -> new LogShipperVerticle(config.betterStack(), logFlushBudget(), LogBuffer.shared()), 1)
        .compose(v -> deploy("alerts", () -> new AlertVerticle(config, bot.monitors(config.alerts(), registry)), 1));
  }

  private Future<Void> deployServices() {
    return deploy("queue-maintenance",
            () -> new QueueMaintenanceVerticle(config, List.of(Queues.INBOUND, Queues.OUTBOUND, Queues.NOTIFY, Queues.MEDIA),
                registry), 1)
        .compose(v -> deploy("notify-worker", () -> NotifyWorker.verticle(config, bot.conversation(config)), 1))
        .compose(v -> deploy("media-sweeper", () -> new MediaSweeperVerticle(config, registry), 1))
        // Downloads stop after the conversation workers, which may be waiting for one.
        .compose(v -> deploy("media-download", () -> MediaDownloadWorker.verticle(config), 1))
        // The sender stops after the conversation workers, so the replies they finish while stopping go out.
        .compose(v -> deploy("sender", () -> SenderWork.verticle(config, OutboundUploads.factory(config)),
            config.sender().instances()))
        .compose(v -> deploy("conversation-worker", () -> ConversationWorker.verticle(config, bot.conversation(config)),
            config.conversation().workerInstances()))
        .compose(v -> deploy("http", () -> new HttpServerVerticle(config, membership, bot.http(config), registry), config.http().instances()));
  }

  /**
   * In sandbox mode the Graph API simulator starts first and every later verticle is pointed at it;
   * it is undeployed after the sender has sent what it was finishing (only alerting and log shipping
   * stop later).
   */
  private Future<Void> startSandbox() {
    if (!config.mode().sandbox()) {
      return Future.succeededFuture();
    }
    SandboxVerticle sandbox = new SandboxVerticle(config);
    return vertx.deployVerticle(sandbox).onSuccess(deployments::push).map(id -> {
      config = config.withWhatsApp(config.whatsapp().withApiBaseUrl(sandbox.graphBaseUrl()));
      ConversationConfig.Escalation escalation = config.conversation().escalation();
      if (!escalation.notifiesAnyone()) {
        // Hand-offs then show up as a chat with a simulated sales team on the sandbox page.
        config = config.withConversation(config.conversation().withEscalation(
            escalation.withAgentNumber(SandboxVerticle.AGENT_NUMBER)));
      }
      // Each number's conversation settings too: their engines read those, not the shared ones; the running
      // registry (made before the sandbox started) and every reload get the same.
      config = config.withWhatsApp(config.whatsapp().withNumbers(config.whatsapp().numbers().stream()
          .map(Application::withSandboxTeam).toList()));
      reload.adjustNumbers(Application::withSandboxTeam);
      return null;
    });
  }

  /** A number without an escalation channel hands off to the sandbox's simulated sales team. */
  private static NumberConfig withSandboxTeam(NumberConfig number) {
    ConversationConfig.Escalation own = number.conversation().escalation();
    return own.notifiesAnyone() ? number : number.withConversation(number.conversation().withEscalation(
        own.withAgentNumber(SandboxVerticle.AGENT_NUMBER)));
  }

  private VertxOptions vertxOptions() {
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(config.mode().eventLoops());
    if (config.cluster().enabled()) {
      options.setEventBusOptions(HazelcastSetup.eventBus(config.cluster()));
    }
    return options;
  }

  /** The log shipper stops last; it may use what is left of the budget, keeping a margin for closing Vert.x. */
  private Duration logFlushBudget() {
    return config.mode().shutdownTimeout().multipliedBy(3).dividedBy(4);
  }

  private Future<Void> deploy(String name, java.util.function.Supplier<io.vertx.core.Deployable> verticle, int instances) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setInstances(instances))
        .onSuccess(deployments::push)
        .onFailure(e -> Events.error(LOG, "service.deploy_failed").setCause(e)
            .addKeyValue("verticle", name).log("Could not start {}", name))
        .mapEmpty();
  }

  /** Undeploys in reverse order within the shutdown budget, then closes Vert.x whatever happened. */
  public Future<Void> stop() {
    if (vertx == null) {
      return Future.succeededFuture();
    }
    Duration budget = config.mode().shutdownTimeout();
    long deadline = System.nanoTime() + budget.toNanos();
    Future<Void> chain = Future.succeededFuture();
    while (!deployments.isEmpty()) {
      String id = deployments.pop();
      chain = chain.compose(v -> vertx.undeploy(id)
          .timeout(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS));
    }
    return chain
        .onFailure(e -> Events.warn(LOG, "service.stop_incomplete").setCause(e)
            .log("Shutdown budget of {} used up; closing anyway", budget))
        .eventually(() -> vertx.close())
        .andThen(done -> Metrics.unbind(vertx))
        .onSuccess(v -> Events.info(LOG, "service.stopped").log("whatsapp-chatbot stopped"));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
