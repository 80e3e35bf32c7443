package io.wabot.sender;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wabot.observability.Events;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clustered, keeps track of the circuit breakers of other nodes' senders (one per sender instance and
 * business number) from the changes they publish
 * on {@link SenderStatus#BREAKER_ADDRESS}: logged, shown in readiness ({@code graph-api} check,
 * {@code peers}) and counted in the {@code wabot_graph_breaker_peers_open} gauge.
 *
 * <p>Known, not obeyed: a breaker measures its own node's way to the Graph API. When Meta is down every
 * node's breaker opens on its own after {@code sender.breaker.maxFailures} failures (the jobs meanwhile
 * wait in the queue, nothing is lost); when one node's network is at fault, the others keep answering
 * customers, which is much of the point of running several.
 */
public final class PeerBreakers {

  private static final Logger LOG = LoggerFactory.getLogger(PeerBreakers.class);

  private final Vertx vertx;

  public PeerBreakers(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Handles one published breaker change; changes of this node's own instances are ignored. */
  public void changed(JsonObject event) {
    String instance = event.getString("instance", "");
    if (SenderStatus.isLocalInstance(vertx, instance)) {
      return;
    }
    CircuitBreakerState state;
    try {
      state = CircuitBreakerState.valueOf(event.getString("state", ""));
    } catch (IllegalArgumentException e) {
      return;
    }
    String node = event.getString("node", "unknown");
    // Each number has its breaker: a peer's breaker for one number is kept apart from its others.
    String number = event.getString("number");
    SenderStatus.peerBreaker(vertx, node, number == null ? instance : SenderStatus.breakerKey(instance, number), state);
    if (state == CircuitBreakerState.OPEN) {
      Events.warn(LOG, "sender.peer_breaker_opened").addKeyValue("node", node).addKeyValue("instance", instance)
          .addKeyValue("number", number)
          .log("The Graph API circuit breaker of {} on {} for number {} opened; this node's breaker decides for its own"
              + " sends", instance, node, number);
    } else if (state == CircuitBreakerState.CLOSED) {
      Events.info(LOG, "sender.peer_breaker_closed").addKeyValue("node", node).addKeyValue("instance", instance)
          .addKeyValue("number", number)
          .log("The Graph API circuit breaker of {} on {} for number {} closed", instance, node, number);
    }
  }

  /** A node left the cluster: whatever its breakers were, they are gone with it. */
  public void nodeLeft(String node) {
    SenderStatus.forgetPeers(vertx, node);
  }

  public int open() {
    return SenderStatus.peersOpen(vertx);
  }
}
