package io.wabot.whatsapp;

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

  /** Published on every breaker change: {@code {"state": "OPEN", "instance": "...", "atMs": ...}}. */
  public static final String BREAKER_ADDRESS = "wabot.sender.breaker";
  /** Published when Meta's throughput limit pauses sending: {@code {"untilMs", "pauseMs", "reason"}}. */
  public static final String PAUSE_ADDRESS = "wabot.sender.paused";
  /** Published when a customer turns out to have opted out (131050): {@code {"wa_id", "reason"}}. */
  public static final String OPT_OUT_ADDRESS = "wabot.consent.optout";

  private static final String MAP = "wabot.sender.status";
  private static final String BREAKER_PREFIX = "breaker.";
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
    map(vertx).forEach((key, value) -> {
      if (key.startsWith(BREAKER_PREFIX)) {
        instances.put(key.substring(BREAKER_PREFIX.length()), value);
      }
    });
    return new JsonObject().put("breaker", breakerState(vertx).name()).put("pausedForMs", pausedForMs(vertx))
        .put("instances", instances);
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
