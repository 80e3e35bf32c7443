package io.wabot.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.wabot.observability.MetricNames;
import io.wabot.sender.PeerBreakers;
import io.wabot.sender.SenderStatus;
import java.util.List;

/**
 * Deployed once per node when clustered: logs members joining and leaving, exports the
 * {@code wabot_cluster_members} gauge, and follows the other nodes' circuit breakers
 * ({@link PeerBreakers}). The {@code cluster} readiness check is registered by the HTTP verticle.
 */
public final class ClusterVerticle extends VerticleBase {

  private final ClusterMembership membership;
  private final MeterRegistry registry;
  private MessageConsumer<JsonObject> breakerChanges;
  private List<Gauge> gauges = List.of();

  /** @param registry where the cluster's gauges are registered (and removed from on stop) */
  public ClusterVerticle(ClusterMembership membership, MeterRegistry registry) {
    this.membership = membership;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    PeerBreakers peers = new PeerBreakers(vertx);
    gauges = List.of(
        membership.registerGauge(registry),
        Gauge.builder(MetricNames.BREAKER_PEERS_OPEN, peers, PeerBreakers::open)
            .description("Sender instances on other nodes whose Graph API circuit breaker is open").register(registry));
    breakerChanges = vertx.eventBus().consumer(SenderStatus.BREAKER_ADDRESS, message -> peers.changed(message.body()));
    membership.onLeave(node -> context.runOnContext(v -> peers.nodeLeft(node)));
    membership.watch();
    return breakerChanges.completion();
  }

  @Override
  public Future<?> stop() {
    membership.stopWatching();
    gauges.forEach(registry::remove);
    return breakerChanges == null ? Future.succeededFuture() : breakerChanges.unregister();
  }
}
