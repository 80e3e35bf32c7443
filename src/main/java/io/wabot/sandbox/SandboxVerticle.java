package io.wabot.sandbox;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;
import io.wabot.config.AppConfig;
import io.wabot.config.ConversationConfig;
import io.wabot.config.NumberConfig;
import io.wabot.numbers.BusinessNumbers;
import io.wabot.observability.Events;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Sandbox mode ({@code SANDBOX=true}): runs a {@link GraphApiSimulator} in place of Meta on a loopback
 * port the sender is pointed at, and copies the bot's log events for the chat page ({@link EventTap}).
 * One node keeps what the page shows ({@link SandboxOwner}): the one holding the cluster-wide lock
 * {@value #OWNER_LOCK}; without clustering, always this one. The page talks to it through
 * {@link SandboxRoutes} over the event bus, so every HTTP instance, and clustered every node, serves
 * the page. A node that is not the owner tries again every {@value #OWNER_RETRY_MS} ms, so when the
 * owner stops or dies another node takes over (with an empty page: its history lived in the owner).
 */
public final class SandboxVerticle extends VerticleBase {

  /** Requests from {@link SandboxRoutes}; header {@code action} names the operation. */
  public static final String API_ADDRESS = "wabot.sandbox.api";
  /** Everything the page should see, published as {@code {"event": name, "data": {...}}}. */
  public static final String STREAM_ADDRESS = "wabot.sandbox.stream";
  /** Replies any node's simulator accepted ({@link AcceptedMessage#toJson}), for the owner's transcript. */
  static final String ACCEPTED_ADDRESS = "wabot.sandbox.accepted";
  /** Faults injected through the page, for every node's simulator; headers {@code action}, {@code origin}. */
  static final String FAULTS_ADDRESS = "wabot.sandbox.faults";
  static final String OWNER_LOCK = "wabot.sandbox.owner";
  static final long OWNER_RETRY_MS = 5_000;

  /** The simulated sales team's WhatsApp number: hand-offs reach it when no escalation channel is set. */
  public static final String AGENT_NUMBER = "15550001234";
  /** The agent seat's chat on the page. */
  static final String AGENT_NAME = "Sales team (agent)";

  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(SandboxVerticle.class);

  private final AppConfig config;
  private final String origin = UUID.randomUUID().toString();
  private GraphApiSimulator graph;
  private EventTap tap;
  private MessageConsumer<JsonObject> faults;
  private String graphBaseUrl;
  private Lock ownerLock;
  private SandboxOwner owner;
  private long ownerRetry = -1;
  private boolean stopped;

  public SandboxVerticle(AppConfig config) {
    this.config = config;
  }

  /** The simulator's {@code http://127.0.0.1:<port>}: the Graph API base URL the sender uses in sandbox mode. */
  public String graphBaseUrl() {
    return graphBaseUrl;
  }

  @Override
  public Future<?> start() {
    // Every number served, each with its own token, looked up per request: a reload's numbers apply at once. Not
    // looked up now: the registry is made by its first caller, and the application completes the configuration
    // it is made from (the simulated agent number in each number's settings) only once the simulator is up.
    graph = new GraphApiSimulator(vertx, () -> BusinessNumbers.of(vertx, config.whatsapp()).all().stream()
        .collect(Collectors.toMap(NumberConfig::phoneNumberId, n -> n.accessToken().value())));
    if (config.flows().enabled()) {
      // As if scripts/flows-keys had uploaded it: the simulated clients encrypt flow requests for the bot's key.
      graph.flows().usePublicKey(config.flows().key().publicKeyPem());
    }
    graph.onAccepted(accepted -> vertx.eventBus().publish(ACCEPTED_ADDRESS, accepted.toJson()));
    faults = vertx.eventBus().consumer(FAULTS_ADDRESS, this::applyFault);
    tap = new EventTap(vertx.eventBus());
    tap.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    tap.start();
    root().addAppender(tap);
    return faults.completion()
        .compose(v -> seedCatalog())
        .compose(v -> graph.listen("127.0.0.1", 0))
        .compose(port -> {
          graphBaseUrl = "http://127.0.0.1:" + port;
          banner();
          Events.warn(LOG, "sandbox.enabled").addKeyValue("graph_simulator", graphBaseUrl).log(
              "SANDBOX MODE: replies go to a Graph API simulator, not to WhatsApp. Never run this in production."
                  + " Chat with the bot at http://localhost:{}/sandbox", config.http().port());
          return claimOwnership(true);
        });
  }

  /**
   * With WHATSAPP_CATALOG_ID set (shared or a number's own), the simulated Graph API serves each catalog with
   * the SKUs of the sample inventory as retailer ids, so product messages of the sales flow pass the sender's
   * catalog check. An unreadable inventory leaves the catalogs unknown (the sender's sync then fails and checks
   * nothing).
   */
  private Future<Void> seedCatalog() {
    Set<String> catalogIds = new LinkedHashSet<>();
    if (config.conversation().catalogId() != null) {
      catalogIds.add(config.conversation().catalogId());
    }
    config.whatsapp().numbers().stream().map(n -> n.conversation().catalogId()).filter(Objects::nonNull)
        .forEach(catalogIds::add);
    if (catalogIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.fileSystem().readFile(config.conversation().catalogPath()).map(buffer -> {
      List<String> skus = new ArrayList<>();
      buffer.toJsonObject().getJsonArray("items", new JsonArray()).forEach(item -> {
        if (item instanceof JsonObject i && i.getValue("sku") instanceof String sku) {
          skus.add(sku);
        }
      });
      catalogIds.forEach(id -> graph.catalog(id, skus));
      return (Void) null;
    }).otherwise(e -> {
      Events.warn(LOG, "sandbox.catalog_unreadable").log("Simulated catalog left empty: {}", e.getMessage());
      return null;
    });
  }

  /** Takes the page's state if no node has it; otherwise looks again later. Never fails. */
  private Future<Void> claimOwnership(boolean first) {
    return vertx.sharedData().getLockWithTimeout(OWNER_LOCK, 100).transform(ar -> {
      if (stopped) {
        if (ar.succeeded()) {
          ar.result().release();
        }
        return Future.succeededFuture();
      }
      if (ar.failed()) {
        if (first) {
          Events.info(LOG, "sandbox.follower").log("Another node keeps the sandbox page's state; this node serves the page"
              + " through it and takes over if it goes away");
        }
        ownerRetry = vertx.setTimer(OWNER_RETRY_MS, id -> claimOwnership(false));
        return Future.succeededFuture();
      }
      ownerLock = ar.result();
      owner = new SandboxOwner(vertx, config, graph, origin);
      return owner.start().onSuccess(v -> Events.info(LOG, "sandbox.owner").addKeyValue("took_over", !first)
          .log(first ? "This node keeps the sandbox page's state" : "This node took over the sandbox page's state"));
    });
  }

  private void applyFault(Message<JsonObject> command) {
    if (origin.equals(command.headers().get("origin"))) {
      return; // the owner applied it to its own simulator already
    }
    if ("clear".equals(command.headers().get("action"))) {
      graph.clearFaults();
    } else {
      graph.inject(SimulatedFault.fromJson(command.body()));
    }
  }

  /**
   * The agent number whose chat is the page's agent seat: the configured {@code AGENT_WHATSAPP_NUMBER},
   * else the simulated one when no escalation channel is set (as {@code Application} configures it); null
   * when hand-offs only go to {@code ESCALATION_WEBHOOK_URL} (answer them with the admin reply endpoint).
   */
  static String agentNumber(AppConfig config) {
    ConversationConfig.Escalation escalation = config.conversation().escalation();
    if (escalation.agentNumber() != null) {
      return escalation.agentNumber();
    }
    return escalation.notifiesAnyone() ? null : AGENT_NUMBER;
  }

  /** Besides the log event, a banner nobody can miss in a terminal or a container's log. */
  private void banner() {
    String line = "!".repeat(78);
    System.err.println(line + "\n!!  SANDBOX MODE: the bot talks to a built-in Graph API simulator, not to WhatsApp.\n"
        + "!!  Never run this in production (unset SANDBOX). Chat: http://localhost:" + config.http().port() + "/sandbox\n" + line);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (ownerRetry >= 0) {
      vertx.cancelTimer(ownerRetry);
    }
    if (tap != null) {
      root().detachAppender(tap);
      tap.stop();
    }
    Future<Void> ownerStopped = owner == null ? Future.succeededFuture() : owner.stop();
    return ownerStopped.eventually(() -> {
      if (ownerLock != null) {
        ownerLock.release();
      }
      if (faults != null) {
        faults.unregister();
      }
      return graph == null ? Future.succeededFuture() : graph.close();
    });
  }
}
