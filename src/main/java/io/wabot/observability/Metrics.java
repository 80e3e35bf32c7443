package io.wabot.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where components register their meters. In the service this is the Prometheus registry behind
 * {@code GET /metrics} of the application whose code is running; where metrics are not enabled (unit
 * tests that build their own Vert.x) it is an in-memory registry, so instrumented code never checks
 * whether metrics are on.
 *
 * <p>Each {@code Application} has its own registry, bound to its Vert.x instance, so two applications
 * in one JVM (tests, scale-out experiments) never mix or close each other's meters. Called on a Vert.x
 * thread, {@link #registry()} answers the registry of that thread's Vert.x; elsewhere (a test's main
 * thread) the most recently started application's. Look meters up in a verticle's {@code start()} or
 * at use, never in static fields: a static meter would outlive the application that owns it.
 */
public final class Metrics {

  private static final MeterRegistry FALLBACK = new SimpleMeterRegistry();
  private static final Map<Vertx, MeterRegistry> BOUND = new ConcurrentHashMap<>();
  private static volatile MeterRegistry latest;

  private Metrics() {
  }

  public static MeterRegistry registry() {
    Context context = Vertx.currentContext();
    if (context != null) {
      return registry(context.owner());
    }
    MeterRegistry last = latest;
    return last != null ? last : FALLBACK;
  }

  /** The registry of one Vert.x instance; the in-memory fallback when it has none. */
  public static MeterRegistry registry(Vertx vertx) {
    MeterRegistry bound = BOUND.get(vertx);
    return bound != null ? bound : FALLBACK;
  }

  /** Makes {@code registry} the one that code running on {@code vertx} records into. */
  public static void bind(Vertx vertx, MeterRegistry registry) {
    BOUND.put(vertx, registry);
    latest = registry;
  }

  public static void unbind(Vertx vertx) {
    MeterRegistry removed = BOUND.remove(vertx);
    if (removed != null && removed == latest) {
      latest = BOUND.values().stream().findAny().orElse(null);
    }
  }
}
