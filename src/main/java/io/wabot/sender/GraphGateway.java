package io.wabot.sender;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wabot.common.NodeName;
import io.wabot.config.SenderConfig;
import io.wabot.observability.Alerts;
import io.wabot.observability.Events;
import io.wabot.observability.MetricNames;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Graph API call of one sender instance: first a slot from the shared {@link ThroughputLimiter},
 * then the request through a circuit breaker with a hard timeout.
 *
 * <p>Only what says the API itself is in trouble (5xx, timeouts, connection errors) counts towards
 * opening the breaker; a 4xx is about one request and proves the API is up. While the breaker is open
 * nothing is sent and {@link #acceptsWork()} is false, so the queue keeps its jobs instead of burning
 * their attempts. Breaker changes are published on {@link SenderStatus#BREAKER_ADDRESS}, logged, raised
 * as the {@code circuit_open} alert, and kept in {@link SenderStatus} for readiness and metrics.
 */
public final class GraphGateway {

  private static final Logger LOG = LoggerFactory.getLogger(GraphGateway.class);

  /** What became of a call. */
  public sealed interface Outcome {
  }

  /** The request went out; {@code latency} is the HTTP call's. */
  public record Sent(SendResult result, Duration latency) implements Outcome {
  }

  /** Nothing was sent (breaker open, throughput budget spoken for); try again after {@code retryIn}. */
  public record NotSent(Duration retryIn, String reason) implements Outcome {
  }

  /** Carries a server-side failure through the breaker, which counts failed futures only. */
  private static final class ServerSideFailure extends RuntimeException {
    final SendResult.Failed result;

    ServerSideFailure(SendResult.Failed result) {
      super(result.error().describe(), null, false, false);
      this.result = result;
    }
  }

  private static final int LATE_SLOT_TRIES = 3;

  private static final class LimiterUnavailable extends RuntimeException {
    LimiterUnavailable(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private final Vertx vertx;
  private final GraphApiClient client;
  private final ThroughputLimiter limiter;
  private final SenderConfig config;
  private final String instance;
  private final CircuitBreaker breaker;
  private final MeterRegistry registry;
  private final Timer latency;
  private Runnable onRecovery = () -> { };
  private volatile long openedAtMs;
  /** Calls made while half-open: the breaker lets one through as the trial and turns the others away. */
  private final AtomicInteger halfOpenCalls = new AtomicInteger();

  public GraphGateway(Vertx vertx, GraphApiClient client, ThroughputLimiter limiter, SenderConfig config, String instance,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.client = client;
    this.limiter = limiter;
    this.config = config;
    this.instance = instance;
    this.registry = registry;
    this.latency = Timer.builder(MetricNames.GRAPH_LATENCY).description("Graph API request latency")
        .publishPercentileHistogram().register(registry);
    this.breaker = CircuitBreaker.create("graph-api-" + instance, vertx, new CircuitBreakerOptions()
            .setMaxFailures(config.breakerMaxFailures())
            .setFailuresRollingWindow(config.breakerFailureWindow().toMillis())
            .setTimeout(config.requestTimeout().toMillis())
            .setResetTimeout(config.breakerOpenFor().toMillis())
            .setMaxRetries(0) // retries go through the queue, where they are durable
            .setFallbackOnFailure(false)
            .setNotificationAddress(null))
        .openHandler(v -> changed(CircuitBreakerState.OPEN))
        .halfOpenHandler(v -> changed(CircuitBreakerState.HALF_OPEN))
        .closeHandler(v -> changed(CircuitBreakerState.CLOSED));
    breaker.failurePolicy(ar -> ar.failed()
        && (ar.cause() instanceof ServerSideFailure || ar.cause() instanceof io.vertx.circuitbreaker.TimeoutException));
    SenderStatus.breaker(vertx, instance, CircuitBreakerState.CLOSED);
  }

  /** Called when sending can resume (breaker half-open or closed), e.g. to wake the queue consumer. */
  public GraphGateway onRecovery(Runnable action) {
    this.onRecovery = action;
    return this;
  }

  public CircuitBreakerState state() {
    return breaker.state();
  }

  /** False while the breaker is open, or half-open with its one trial request in flight. */
  public boolean acceptsWork() {
    CircuitBreakerState state = breaker.state();
    return state == CircuitBreakerState.CLOSED || (state == CircuitBreakerState.HALF_OPEN && halfOpenCalls.get() == 0);
  }

  public Future<Outcome> send(JsonObject body) {
    if (!acceptsWork()) {
      return Future.succeededFuture(breakerOpen());
    }
    return slotThenCall(body, LATE_SLOT_TRIES);
  }

  private Future<Outcome> slotThenCall(JsonObject body, int triesLeft) {
    return limiter.acquire()
        .recover(e -> Future.failedFuture(new LimiterUnavailable(e)))
        .compose(reservation -> {
          if (reservation instanceof ThroughputLimiter.Full full) {
            return Future.succeededFuture(new NotSent(full.retryIn(), "throughput budget spoken for"));
          }
          if (!limiter.onTime((ThroughputLimiter.Slot) reservation)) {
            // Woke up too late for the slot (a busy event loop); sending now could crowd the next second.
            return triesLeft > 1 ? slotThenCall(body, triesLeft - 1)
                : Future.succeededFuture(new NotSent(Duration.ofMillis(20), "missed its throughput slots"));
          }
          // A 130429 may have paused sending while this request waited for its slot.
          long paused = SenderStatus.pausedForMs(vertx);
          return paused > 0
              ? Future.succeededFuture(new NotSent(Duration.ofMillis(paused), "sending paused by the throughput limit"))
              : call(body);
        })
        .recover(e -> e instanceof LimiterUnavailable
            ? Future.succeededFuture(new NotSent(Duration.ofSeconds(1), "throughput limiter unavailable: "
                + e.getCause().getMessage()))
            : Future.failedFuture(e));
  }

  private Future<Outcome> call(JsonObject body) {
    boolean trial = breaker.state() == CircuitBreakerState.HALF_OPEN;
    if (trial) {
      halfOpenCalls.incrementAndGet();
    }
    long start = System.nanoTime();
    return breaker.<SendResult>execute(() -> client.send(body).compose(result ->
            result instanceof SendResult.Failed failed && failed.error().isServerSide()
                ? Future.failedFuture(new ServerSideFailure(failed))
                : Future.succeededFuture(result)))
        .recover(e -> {
          if (e instanceof ServerSideFailure failure) {
            return Future.succeededFuture(failure.result);
          }
          if (e instanceof io.vertx.circuitbreaker.TimeoutException) {
            return Future.succeededFuture(SendResult.Failed.of(GraphError.timeout(config.requestTimeout())));
          }
          return Future.failedFuture(e);
        })
        .<Outcome>map(result -> {
          Duration took = Duration.ofNanos(System.nanoTime() - start);
          latency.record(took);
          count(result);
          return new Sent(result, took);
        })
        .recover(e -> e instanceof OpenCircuitException
            ? Future.succeededFuture(breakerOpen())
            : Future.failedFuture(e))
        .onComplete(ar -> {
          if (trial) {
            halfOpenCalls.decrementAndGet();
          }
        });
  }

  private NotSent breakerOpen() {
    long left = openedAtMs + config.breakerOpenFor().toMillis() - System.currentTimeMillis();
    return new NotSent(Duration.ofMillis(Math.max(500, left)), "circuit breaker " + breaker.state().name().toLowerCase());
  }

  private void count(SendResult result) {
    String outcome;
    String code;
    if (result instanceof SendResult.Failed failed) {
      outcome = switch (failed.action()) {
        case PAUSE_ALL -> "pause";
        case DELAY_CONVERSATION -> "delay";
        case RETRY, LONG_BACKOFF -> "retry";
        case TEMPLATE_FALLBACK, LANGUAGE_FALLBACK -> "fallback";
        case AUTH_FAILURE, OPTED_OUT, NEEDS_PHONE_NUMBER, GIVE_UP -> "dead_letter";
      };
      code = failed.error().codeTag();
    } else {
      outcome = "accepted";
      code = "none";
    }
    Counter.builder(MetricNames.GRAPH_REQUESTS).description("Graph API requests by outcome and Meta error code")
        .tag("outcome", outcome).tag("code", code).register(registry).increment();
  }

  private void changed(CircuitBreakerState state) {
    SenderStatus.breaker(vertx, instance, state);
    long now = System.currentTimeMillis();
    JsonObject event = new JsonObject().put("state", state.name()).put("instance", instance)
        .put("node", NodeName.of(vertx)).put("atMs", now);
    vertx.eventBus().publish(SenderStatus.BREAKER_ADDRESS, event);
    switch (state) {
      case OPEN -> {
        openedAtMs = now;
        Events.error(LOG, "sender.breaker_opened").addKeyValue("instance", instance)
            .addKeyValue("open_for_ms", config.breakerOpenFor().toMillis())
            .log("Graph API circuit breaker opened after repeated failures; sending waits {}",
                config.breakerOpenFor());
        Alerts.fire(vertx.eventBus(), Alerts.CIRCUIT_OPEN, "The Graph API circuit breaker is open: replies wait in the queue",
            new JsonObject().put("instance", instance).put("open_for_ms", config.breakerOpenFor().toMillis()));
      }
      case HALF_OPEN -> {
        Events.info(LOG, "sender.breaker_half_open").addKeyValue("instance", instance)
            .log("Graph API circuit breaker half-open: one trial request");
        onRecovery.run();
      }
      case CLOSED -> {
        Events.info(LOG, "sender.breaker_closed").addKeyValue("instance", instance)
            .log("Graph API circuit breaker closed: sending resumes");
        Alerts.resolve(vertx.eventBus(), Alerts.CIRCUIT_OPEN, "The Graph API circuit breaker closed");
        onRecovery.run();
      }
    }
  }

  public void close() {
    breaker.close();
    SenderStatus.forget(vertx, instance);
  }
}
