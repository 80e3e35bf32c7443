package io.wabot.sender;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wabot.config.SenderConfig;
import io.wabot.observability.MetricNames;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Every Graph API call of one sender instance from one business number: first a slot from the number's
 * shared {@link ThroughputLimiter}, then, if the number's {@link SenderGate} lets it through (breaker,
 * pause), the request through the gate's circuit breaker with a hard timeout. Every call ends as one
 * {@link SendAttempt}. The meters carry the number's label ({@code number}).
 *
 * <p>The number's requests in flight are bounded by its {@link SendWindow}, sized from its tier and the
 * latency observed here: a send beyond it waits here, in the order it came, for a request to finish.
 */
public final class GraphGateway {

  private static final int LATE_SLOT_TRIES = 3;

  private static final class LimiterUnavailable extends RuntimeException {
    LimiterUnavailable(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private final GraphApiClient client;
  /** What {@link #send(JsonObject, BooleanSupplier)} answers for a request no longer wanted when its turn came. */
  public static final SendAttempt.Held NOT_WANTED = new SendAttempt.Held(Duration.ZERO, "no longer wanted");
  private final ThroughputLimiter limiter;
  private final SenderConfig config;
  private final SenderGate gate;
  private final MeterRegistry registry;
  private final String label;
  private final Timer latency;
  private final SendWindow window;
  /** Sends waiting for room in the window; completed with false when the gateway closes. */
  private final ArrayDeque<Promise<Boolean>> waiting = new ArrayDeque<>();
  private boolean closed;

  /**
   * A gateway whose window is {@code sender.concurrency} requests, whatever the latency (tests, tools).
   *
   * @param client  the number's client (its messages URL and token)
   * @param limiter the number's throughput limiter
   * @param label   the number's label: the {@code number} tag of the meters, and what logs and alerts name
   */
  public GraphGateway(Vertx vertx, GraphApiClient client, ThroughputLimiter limiter, SenderConfig config, String instance,
      String label, MeterRegistry registry) {
    this(vertx, client, limiter, config, instance, label, registry,
        new SendWindow(1, config.concurrency(), config.concurrency()));
  }

  /** @param window the number's requests in flight, sized from its tier and the observed latency */
  public GraphGateway(Vertx vertx, GraphApiClient client, ThroughputLimiter limiter, SenderConfig config, String instance,
      String label, MeterRegistry registry, SendWindow window) {
    this.window = window;
    this.client = client;
    this.limiter = limiter;
    this.config = config;
    this.registry = registry;
    this.label = label;
    this.gate = new SenderGate(vertx, config, instance, label, limiter);
    this.latency = Timer.builder(MetricNames.GRAPH_LATENCY).description("Graph API request latency").tag("number", label)
        .publishPercentileHistogram().register(registry);
  }

  /** The label of the number this gateway sends from. */
  public String label() {
    return label;
  }

  /** Whether this instance may send now, and the pause it raises. */
  public SenderGate gate() {
    return gate;
  }

  public CircuitBreakerState state() {
    return gate.state();
  }

  /** The number's requests in flight and how many it may have. */
  public SendWindow window() {
    return window;
  }

  /**
   * Runs {@code work}, which starts several sends at once (a reply and the read receipt it carries): their throughput
   * slots are taken in one Redis call ({@link ThroughputLimiter#together}).
   */
  public <T> T together(java.util.function.Supplier<T> work) {
    return limiter.together(work);
  }

  public Future<SendAttempt> send(JsonObject body) {
    return send(body, () -> true);
  }

  /**
   * The same, for a request that may stop being wanted while it waits for its place and its slot (a read receipt
   * retried here whose reply has handed it over to a job of its own): asked right before the request goes out;
   * no longer wanted, it is held back ({@link #NOT_WANTED}) and sends nothing.
   */
  public Future<SendAttempt> send(JsonObject body, BooleanSupplier wanted) {
    // A held send spends no throughput slot; the gate is asked again when the slot comes.
    Optional<SendAttempt.Held> held = gate.held();
    if (held.isPresent()) {
      return Future.succeededFuture(held.get());
    }
    return room().compose(open -> open
        ? slotThenCall(body, LATE_SLOT_TRIES, wanted).onComplete(ar -> release())
        // Replaced by a gateway with the number's new settings: the job comes back to it.
        : Future.succeededFuture(new SendAttempt.Held(Duration.ofMillis(100), "number " + label + " reloaded")));
  }

  /** Completes with true once the request holds a place in the window, false if the gateway closed first. */
  private Future<Boolean> room() {
    if (closed) {
      return Future.succeededFuture(false);
    }
    if (waiting.isEmpty() && window.hasRoom()) {
      window.started();
      return Future.succeededFuture(true);
    }
    Promise<Boolean> place = Promise.promise();
    waiting.add(place);
    return place.future();
  }

  private void release() {
    window.finished();
    admit();
  }

  /** Lets waiting sends in while the window has room (after a request ended, or the window widened). */
  private void admit() {
    while (!waiting.isEmpty() && window.hasRoom()) {
      window.started();
      waiting.poll().complete(true);
    }
  }

  private Future<SendAttempt> slotThenCall(JsonObject body, int triesLeft, BooleanSupplier wanted) {
    return limiter.acquire()
        .recover(e -> Future.failedFuture(new LimiterUnavailable(e)))
        .compose(reservation -> {
          if (reservation instanceof ThroughputLimiter.Full full) {
            return Future.succeededFuture(new SendAttempt.Held(full.retryIn(), "throughput budget spoken for"));
          }
          if (!limiter.onTime((ThroughputLimiter.Slot) reservation)) {
            // Woke up too late for the slot (a busy event loop); sending now could crowd the next second.
            return triesLeft > 1 ? slotThenCall(body, triesLeft - 1, wanted)
                : Future.succeededFuture(new SendAttempt.Held(Duration.ofMillis(20), "missed its throughput slots"));
          }
          // The check right before the request: a 130429 may have paused sending, or the breaker opened,
          // while this request waited for its slot.
          Optional<SendAttempt.Held> held = gate.held();
          if (held.isPresent()) {
            return Future.succeededFuture(held.get());
          }
          return wanted.getAsBoolean() ? call(body) : Future.succeededFuture(NOT_WANTED);
        })
        .recover(e -> e instanceof LimiterUnavailable
            ? Future.succeededFuture(new SendAttempt.Held(Duration.ofSeconds(1), "throughput limiter unavailable: "
                + e.getCause().getMessage()))
            : Future.failedFuture(e));
  }

  private Future<SendAttempt> call(JsonObject body) {
    long start = System.nanoTime();
    return gate.<SendResult>execute(() -> client.send(body).compose(result ->
            result instanceof SendResult.Failed failed && failed.error().isServerSide()
                ? Future.failedFuture(new SenderGate.ServerSideFailure(failed))
                : Future.succeededFuture(result)))
        .recover(e -> {
          if (e instanceof SenderGate.ServerSideFailure failure) {
            return Future.succeededFuture(failure.result);
          }
          if (e instanceof io.vertx.circuitbreaker.TimeoutException) {
            return Future.succeededFuture(SendResult.Failed.of(GraphError.timeout(config.requestTimeout())));
          }
          return Future.failedFuture(e);
        })
        .<SendAttempt>map(result -> {
          Duration took = Duration.ofNanos(System.nanoTime() - start);
          latency.record(took);
          if (!(result instanceof SendResult.Failed failed && failed.error().isTransport())) {
            window.answered(took);
            admit();
          }
          count(result);
          return result instanceof SendResult.Failed failed ? new SendAttempt.Refused(failed.error(), failed.action())
              : new SendAttempt.Accepted(((SendResult.Accepted) result).wamid(), took);
        })
        .recover(e -> e instanceof OpenCircuitException
            ? Future.succeededFuture(gate.held().orElseGet(() -> new SendAttempt.Held(Duration.ofMillis(500),
                "circuit breaker " + gate.state().name().toLowerCase())))
            : Future.failedFuture(e));
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
        .tag("outcome", outcome).tag("code", code).tag("number", label).register(registry).increment();
  }

  /** Closes the gate and the number's client. */
  public void close() {
    close(true);
  }

  /** @param forget whether the breaker's state is forgotten (not when a gateway of the same label replaces this one) */
  void close(boolean forget) {
    closed = true;
    while (!waiting.isEmpty()) {
      waiting.poll().complete(false);
    }
    gate.close(forget);
    client.close();
  }
}
