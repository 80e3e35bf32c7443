package io.wabot.sender;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.ext.healthchecks.Status;

/**
 * The sender's state as this process sees it — each sender instance's circuit breaker and the
 * sending pause — kept in a Vert.x local map, so that other verticles of the process (the HTTP
 * verticle's readiness check, metrics) read it without a round trip and without depending on the
 * sender being deployed. A local map rather than an event-bus request because the answer must be
 * about this process: clustered, a request could be answered by another node's sender.
 *
 * <p>The changes themselves are also published on the event bus: {@link #BREAKER_ADDRESS} and
 * {@link #PAUSE_ADDRESS}.
 */
public final class SenderStatus {

  /**
   * Published on every breaker change, to every node when clustered:
   * {@code {"state": "OPEN", "instance": "sender-1a2b3c4d", "node": "10.0.0.5:5701", "atMs": ...}}.
   */
  public static final String BREAKER_ADDRESS = "wabot.sender.breaker";
  /**
   * Published when Meta's throughput limit pauses sending, to every node when clustered:
   * {@code {"untilMs", "pauseMs", "reason"}}. Receivers pause for {@code pauseMs} from receipt, so a
   * node whose clock is off does not shorten or stretch the pause.
   */
  public static final String PAUSE_ADDRESS = "wabot.sender.paused";

  private static final String MAP = "wabot.sender.status";
  private static final String BREAKER_PREFIX = "breaker.";
  private static final String PEER_PREFIX = "peer.";
  private static final String PAUSED_UNTIL = "pausedUntilMs";

  private SenderStatus() {
  }

  private static LocalMap<String, Object> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  static void breaker(Vertx vertx, String instance, CircuitBreakerState state) {
    map(vertx).put(BREAKER_PREFIX + instance, state.name());
  }

  static void forget(Vertx vertx, String instance) {
    map(vertx).remove(BREAKER_PREFIX + instance);
  }

  static boolean isLocalInstance(Vertx vertx, String instance) {
    return map(vertx).containsKey(BREAKER_PREFIX + instance);
  }

  /** Records another node's sender instance's breaker; a closed one is forgotten. */
  static void peerBreaker(Vertx vertx, String node, String instance, CircuitBreakerState state) {
    String key = PEER_PREFIX + node + "/" + instance;
    if (state == CircuitBreakerState.CLOSED) {
      map(vertx).remove(key);
    } else {
      map(vertx).put(key, state.name());
    }
  }

  /** Forgets the breakers of a node that left the cluster. */
  static void forgetPeers(Vertx vertx, String node) {
    map(vertx).keySet().removeIf(key -> key.startsWith(PEER_PREFIX + node + "/"));
  }

  /** Sender instances on other nodes whose breaker is open, as last heard. */
  public static int peersOpen(Vertx vertx) {
    int open = 0;
    for (var entry : map(vertx).entrySet()) {
      if (entry.getKey().startsWith(PEER_PREFIX) && CircuitBreakerState.OPEN.name().equals(entry.getValue())) {
        open++;
      }
    }
    return open;
  }

  /** Extends the pause to {@code untilMs} (wall clock) unless a longer one is in force. */
  static void pauseUntil(Vertx vertx, long untilMs) {
    map(vertx).compute(PAUSED_UNTIL, (k, v) -> v instanceof Long current && current >= untilMs ? current : untilMs);
  }

  /** Milliseconds the pause has left; 0 when sending is not paused. */
  public static long pausedForMs(Vertx vertx) {
    Object until = map(vertx).get(PAUSED_UNTIL);
    return until instanceof Long ms ? Math.max(0, ms - System.currentTimeMillis()) : 0;
  }

  /** The worst breaker state of this process's sender instances; CLOSED when no sender runs. */
  public static CircuitBreakerState breakerState(Vertx vertx) {
    CircuitBreakerState worst = CircuitBreakerState.CLOSED;
    for (var entry : map(vertx).entrySet()) {
      if (entry.getKey().startsWith(BREAKER_PREFIX)) {
        CircuitBreakerState state = CircuitBreakerState.valueOf((String) entry.getValue());
        if (level(state) > level(worst)) {
          worst = state;
        }
      }
    }
    return worst;
  }

  /** The {@code wabot.graph.breaker.state} gauge's value: 0 closed, 1 half-open, 2 open. */
  public static int level(CircuitBreakerState state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  public static JsonObject toJson(Vertx vertx) {
    JsonObject instances = new JsonObject();
    JsonObject peers = new JsonObject();
    map(vertx).forEach((key, value) -> {
      if (key.startsWith(BREAKER_PREFIX)) {
        instances.put(key.substring(BREAKER_PREFIX.length()), value);
      } else if (key.startsWith(PEER_PREFIX)) {
        peers.put(key.substring(PEER_PREFIX.length()), value);
      }
    });
    JsonObject json = new JsonObject().put("breaker", breakerState(vertx).name()).put("pausedForMs", pausedForMs(vertx))
        .put("instances", instances);
    // Clustered: other nodes' breakers that are not closed, by "node/instance". They do not stop this
    // node's sending: each breaker measures its own node's way to the Graph API.
    return peers.isEmpty() ? json : json.put("peers", peers);
  }

  /**
   * A readiness check that reports the breaker and the pause as data and always stays UP: while Meta
   * is down or throttling, webhooks must still be accepted and queued, and a load balancer that took
   * the service out of rotation would turn a Graph API outage into lost inbound messages.
   */
  public static Handler<Promise<Status>> readinessCheck(Vertx vertx) {
    return promise -> promise.complete(Status.OK(toJson(vertx)));
  }
}
