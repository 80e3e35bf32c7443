package io.wabot.sender;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.wabot.common.NodeName;
import io.wabot.config.SenderConfig;
import io.wabot.observability.Alerts;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one sender instance may send now from one business number: the one owner of its circuit
 * breaker for that number and of the sending pause that Meta's throughput limit (130429) imposes on the
 * number. Another number has a gate of its own: its 130429 or its open breaker never holds this one.
 *
 * <p>The pause is kept in three forms because three audiences need it: this process's
 * {@link SenderStatus} (readiness, every sender instance of the process), the number's throughput key in
 * Redis (no process gets a slot for the number while it lasts, see {@link ThroughputLimiter#pause}) and the
 * {@link SenderStatus#PAUSE_ADDRESS} broadcast (every node stops at once instead of each meeting the limit).
 * Only this class writes them, and {@link #held()} is the one question a send asks before going out.
 *
 * <p>Only what says the API itself is in trouble (5xx, timeouts, connection errors) counts towards
 * opening the breaker; a 4xx is about one request and proves the API is up. Breaker changes are
 * published on {@link SenderStatus#BREAKER_ADDRESS}, logged, raised as the {@code circuit_open} alert,
 * and kept in {@link SenderStatus} for readiness and metrics.
 */
public final class SenderGate {

  private static final Logger LOG = LoggerFactory.getLogger(SenderGate.class);

  /** Marks a failure that should count towards opening the breaker, which counts failed futures only. */
  static final class ServerSideFailure extends RuntimeException {
    final SendResult.Failed result;

    ServerSideFailure(SendResult.Failed result) {
      super(result.error().describe(), null, false, false);
      this.result = result;
    }
  }

  private final Vertx vertx;
  private final SenderConfig config;
  private final String instance;
  private final String label;
  private final String key;
  private final ThroughputLimiter limiter;
  private final CircuitBreaker breaker;
  private Runnable onRecovery = () -> { };
  private volatile long openedAtMs;
  /** Calls made while half-open: the breaker lets one through as the trial and turns the others away. */
  private final AtomicInteger halfOpenCalls = new AtomicInteger();

  /**
   * @param label   the number's label, what logs, alerts and readiness call it
   * @param limiter the number's throughput limiter, where a pause is kept for every process
   */
  SenderGate(Vertx vertx, SenderConfig config, String instance, String label, ThroughputLimiter limiter) {
    this.vertx = vertx;
    this.config = config;
    this.instance = instance;
    this.label = label;
    this.key = SenderStatus.breakerKey(instance, label);
    this.limiter = limiter;
    this.breaker = CircuitBreaker.create("graph-api-" + key, vertx, new CircuitBreakerOptions()
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
    SenderStatus.breaker(vertx, key, CircuitBreakerState.CLOSED);
  }

  /**
   * Calls {@code wake} when this number's breaker lets requests through again (half-open or closed), e.g. to
   * wake the queue consumer. Pauses raised elsewhere reach {@link SenderStatus} through {@link #listen}.
   */
  public void start(Runnable wake) {
    onRecovery = wake;
  }

  /**
   * Starts recording the pauses any number meets in any process (clustered) or instance, also of numbers this
   * instance has no gate for yet, and calls {@code wake} when one is over.
   */
  static MessageConsumer<JsonObject> listen(Vertx vertx, Runnable wake) {
    return vertx.eventBus().consumer(SenderStatus.PAUSE_ADDRESS, message -> {
      String number = message.body().getString("number");
      if (number == null) {
        return; // from a version that paused every number at once: its Redis pause of the queue holds the claims
      }
      // Paused for pauseMs from receipt, so a node whose clock is off does not shorten or stretch the pause.
      Long pauseMs = message.body().getLong("pauseMs");
      long until = pauseMs != null ? System.currentTimeMillis() + pauseMs : message.body().getLong("untilMs", 0L);
      SenderStatus.pauseUntil(vertx, number, until);
      vertx.setTimer(Math.max(1, until - System.currentTimeMillis() + 1), id -> wake.run());
    });
  }

  public CircuitBreakerState state() {
    return breaker.state();
  }

  /** The one check before a send: empty when it may go out now. */
  public Optional<SendAttempt.Held> held() {
    if (!breakerAccepts()) {
      long left = openedAtMs + config.breakerOpenFor().toMillis() - System.currentTimeMillis();
      return Optional.of(new SendAttempt.Held(Duration.ofMillis(Math.max(500, left)),
          "circuit breaker " + breaker.state().name().toLowerCase()));
    }
    long paused = SenderStatus.pausedForMs(vertx, label);
    return paused > 0 ? Optional.of(new SendAttempt.Held(Duration.ofMillis(paused), "sending from number " + label
        + " paused by the throughput limit"))
        : Optional.empty();
  }

  /** False while the breaker is open, or half-open with its one trial request in flight. */
  boolean breakerAccepts() {
    CircuitBreakerState state = breaker.state();
    return state == CircuitBreakerState.CLOSED || (state == CircuitBreakerState.HALF_OPEN && halfOpenCalls.get() == 0);
  }

  /** Runs one request through the breaker; a half-open breaker's trial is counted while it runs. */
  <T> Future<T> execute(Supplier<Future<T>> request) {
    boolean trial = breaker.state() == CircuitBreakerState.HALF_OPEN;
    if (trial) {
      halfOpenCalls.incrementAndGet();
    }
    return breaker.<T>execute(request).onComplete(ar -> {
      if (trial) {
        halfOpenCalls.decrementAndGet();
      }
    });
  }

  /**
   * Meta's throughput limit on this number: its sending stops for {@code pause} — this process at once,
   * every process through the number's throughput key in Redis, every node through the broadcast. The other
   * numbers send on.
   */
  public void pause(Duration pause, String reason, Correlation correlation, boolean retryAfter) {
    long until = System.currentTimeMillis() + pause.toMillis();
    SenderStatus.pauseUntil(vertx, label, until);
    limiter.pause(pause).onFailure(e -> Events.warn(LOG, "sender.pause_unrecorded").addKeyValue("number", label)
        .addKeyValue("error", e.getMessage()).log("Could not record the pause in Redis; this process pauses anyway"));
    vertx.eventBus().publish(SenderStatus.PAUSE_ADDRESS, new JsonObject().put("number", label).put("untilMs", until)
        .put("pauseMs", pause.toMillis()).put("reason", reason));
    Events.warn(LOG, "sender.paused", correlation).addKeyValue("number", label).addKeyValue("pause_ms", pause.toMillis())
        .addKeyValue("retry_after", retryAfter)
        .log("Meta's throughput limit reached for number {}; its sending pauses for {} ms", label, pause.toMillis());
  }

  private void changed(CircuitBreakerState state) {
    SenderStatus.breaker(vertx, key, state);
    long now = System.currentTimeMillis();
    JsonObject event = new JsonObject().put("state", state.name()).put("instance", instance).put("number", label)
        .put("node", NodeName.of(vertx)).put("atMs", now);
    vertx.eventBus().publish(SenderStatus.BREAKER_ADDRESS, event);
    switch (state) {
      case OPEN -> {
        openedAtMs = now;
        Events.error(LOG, "sender.breaker_opened").addKeyValue("instance", instance).addKeyValue("number", label)
            .addKeyValue("open_for_ms", config.breakerOpenFor().toMillis())
            .log("Graph API circuit breaker of number {} opened after repeated failures; its sending waits {}",
                label, config.breakerOpenFor());
        Alerts.fire(vertx.eventBus(), Alerts.CIRCUIT_OPEN, label, "The Graph API circuit breaker of number " + label
                + " is open: its replies wait in the queue",
            new JsonObject().put("instance", instance).put("open_for_ms", config.breakerOpenFor().toMillis()));
      }
      case HALF_OPEN -> {
        Events.info(LOG, "sender.breaker_half_open").addKeyValue("instance", instance).addKeyValue("number", label)
            .log("Graph API circuit breaker of number {} half-open: one trial request", label);
        onRecovery.run();
      }
      case CLOSED -> {
        Events.info(LOG, "sender.breaker_closed").addKeyValue("instance", instance).addKeyValue("number", label)
            .log("Graph API circuit breaker of number {} closed: sending resumes", label);
        Alerts.resolve(vertx.eventBus(), Alerts.CIRCUIT_OPEN, label, "The Graph API circuit breaker of number " + label
            + " closed");
        onRecovery.run();
      }
    }
  }

  public void close() {
    close(true);
  }

  /**
   * @param forget whether this process forgets the breaker's state; not when a gate of the same number and
   *               instance replaces this one (a reload changed the number's token or limit), whose state it is now
   */
  void close(boolean forget) {
    breaker.close();
    if (forget) {
      SenderStatus.forget(vertx, key);
    }
  }
}
