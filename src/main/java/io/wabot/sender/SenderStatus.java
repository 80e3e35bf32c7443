package io.wabot.sender;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.ext.healthchecks.Status;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The sender's state as this process sees it — the circuit breaker of each sender instance for each
 * business number, and each number's sending pause — kept in a Vert.x local map, so that other verticles
 * of the process (the HTTP verticle's readiness check, metrics) read it without a round trip and without
 * depending on the sender being deployed. A local map rather than an event-bus request because the answer
 * must be about this process: clustered, a request could be answered by another node's sender.
 *
 * <p>Breakers are kept under {@code <instance>/<number label>}, pauses under the number's label: a 130429
 * or an open breaker on one number says nothing about another's. The changes themselves are also published
 * on the event bus: {@link #BREAKER_ADDRESS} and {@link #PAUSE_ADDRESS}.
 */
public final class SenderStatus {

  /**
   * Published on every breaker change, to every node when clustered:
   * {@code {"state": "OPEN", "instance": "sender-1a2b3c4d", "number": "Sales", "node": "10.0.0.5:5701", "atMs": ...}}.
   */
  public static final String BREAKER_ADDRESS = "wabot.sender.breaker";
  /**
   * Published when Meta's throughput limit pauses a number's sending, to every node when clustered:
   * {@code {"number", "untilMs", "pauseMs", "reason"}} ({@code number} is the label). Receivers pause for {@code pauseMs} from receipt, so a
   * node whose clock is off does not shorten or stretch the pause.
   */
  public static final String PAUSE_ADDRESS = "wabot.sender.paused";

  private static final String MAP = "wabot.sender.status";
  private static final String BREAKER_PREFIX = "breaker.";
  private static final String PEER_PREFIX = "peer.";
  private static final String PAUSED_PREFIX = "paused.";

  private SenderStatus() {
  }

  private static LocalMap<String, Object> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  /** The key of one instance's breaker for one number. */
  static String breakerKey(String instance, String label) {
    return instance + "/" + label;
  }

  static void breaker(Vertx vertx, String key, CircuitBreakerState state) {
    map(vertx).put(BREAKER_PREFIX + key, state.name());
  }

  static void forget(Vertx vertx, String key) {
    map(vertx).remove(BREAKER_PREFIX + key);
  }

  static boolean isLocalInstance(Vertx vertx, String instance) {
    String prefix = BREAKER_PREFIX + instance + "/";
    return map(vertx).keySet().stream().anyMatch(key -> key.startsWith(prefix) || key.equals(BREAKER_PREFIX + instance));
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

  /** Extends the number's pause to {@code untilMs} (wall clock) unless a longer one is in force. */
  static void pauseUntil(Vertx vertx, String label, long untilMs) {
    map(vertx).compute(PAUSED_PREFIX + label, (k, v) -> v instanceof Long current && current >= untilMs ? current : untilMs);
  }

  /** Milliseconds the number's pause has left; 0 when its sending is not paused. */
  public static long pausedForMs(Vertx vertx, String label) {
    Object until = map(vertx).get(PAUSED_PREFIX + label);
    return until instanceof Long ms ? Math.max(0, ms - System.currentTimeMillis()) : 0;
  }

  /** Milliseconds the longest pause of any number has left; 0 when no number is paused. */
  public static long pausedForMs(Vertx vertx) {
    long longest = 0;
    for (var entry : map(vertx).entrySet()) {
      if (entry.getKey().startsWith(PAUSED_PREFIX) && entry.getValue() instanceof Long ms) {
        longest = Math.max(longest, ms - System.currentTimeMillis());
      }
    }
    return longest;
  }

  /** The worst breaker state of this process's sender instances for one number; CLOSED when none runs. */
  public static CircuitBreakerState breakerState(Vertx vertx, String label) {
    return worst(vertx, key -> key.endsWith("/" + label));
  }

  /** The worst breaker state of this process's sender instances, any number; CLOSED when no sender runs. */
  public static CircuitBreakerState breakerState(Vertx vertx) {
    return worst(vertx, key -> true);
  }

  private static CircuitBreakerState worst(Vertx vertx, Predicate<String> which) {
    CircuitBreakerState worst = CircuitBreakerState.CLOSED;
    for (var entry : map(vertx).entrySet()) {
      if (entry.getKey().startsWith(BREAKER_PREFIX) && which.test(entry.getKey().substring(BREAKER_PREFIX.length()))) {
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

  /**
   * {@code breaker} and {@code pausedForMs}: the worst of any number; {@code instances}: every breaker by
   * {@code instance/number}; {@code numbers}: each number's breaker and pause; {@code degraded}: the labels of
   * the numbers whose breaker is not closed or whose sending is paused.
   */
  public static JsonObject toJson(Vertx vertx) {
    JsonObject instances = new JsonObject();
    JsonObject peers = new JsonObject();
    Set<String> labels = new TreeSet<>();
    map(vertx).forEach((key, value) -> {
      if (key.startsWith(BREAKER_PREFIX)) {
        String instance = key.substring(BREAKER_PREFIX.length());
        instances.put(instance, value);
        labels.add(instance.substring(instance.lastIndexOf('/') + 1));
      } else if (key.startsWith(PEER_PREFIX)) {
        peers.put(key.substring(PEER_PREFIX.length()), value);
      } else if (key.startsWith(PAUSED_PREFIX)) {
        labels.add(key.substring(PAUSED_PREFIX.length()));
      }
    });
    JsonObject numbers = new JsonObject();
    JsonArray degraded = new JsonArray();
    for (String label : labels) {
      CircuitBreakerState breaker = breakerState(vertx, label);
      long paused = pausedForMs(vertx, label);
      numbers.put(label, new JsonObject().put("breaker", breaker.name()).put("pausedForMs", paused));
      if (breaker != CircuitBreakerState.CLOSED || paused > 0) {
        degraded.add(label);
      }
    }
    JsonObject json = new JsonObject().put("breaker", breakerState(vertx).name()).put("pausedForMs", pausedForMs(vertx))
        .put("instances", instances).put("numbers", numbers).put("degraded", degraded);
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
