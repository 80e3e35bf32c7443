package io.wabot.sender;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.wabot.config.NumberConfig;
import io.wabot.numbers.BusinessNumbers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The business numbers one sender instance sends from, each through a {@link GraphGateway} of its own: its
 * token and messages URL, its throughput limiter, its breaker and its 130429 pause. A gateway is made on the
 * first job of its number and made again when a reload changed the number (a new token or limit); the
 * number is looked up in {@link BusinessNumbers} per job, so a reload takes effect at the next message.
 *
 * <p>Event-loop confined: one per sender instance, used on its context.
 */
public final class SendingNumbers {

  /**
   * Where one job goes out from.
   *
   * @param number  the number, or null when a single gateway serves every job (tests, tools)
   * @param gateway its gateway
   */
  public record Sending(NumberConfig number, GraphGateway gateway) {
    public String label() {
      return gateway.label();
    }
  }

  private final Vertx vertx;
  private final BusinessNumbers numbers;
  private final Function<NumberConfig, GraphGateway> gateways;
  private final Duration retireAfter;
  private final Sending fixed;
  private final Map<String, Sending> byId = new HashMap<>();
  private Runnable wake = () -> { };
  private MessageConsumer<JsonObject> pauses;

  /**
   * @param gateways    makes a number's gateway (its client, limiter, gate)
   * @param retireAfter how long a replaced gateway stays open for the requests still in flight on it
   */
  public SendingNumbers(Vertx vertx, BusinessNumbers numbers, Function<NumberConfig, GraphGateway> gateways,
      Duration retireAfter) {
    this.vertx = vertx;
    this.numbers = numbers;
    this.gateways = gateways;
    this.retireAfter = retireAfter;
    this.fixed = null;
  }

  private SendingNumbers(Vertx vertx, GraphGateway gateway) {
    this.vertx = vertx;
    this.numbers = null;
    this.gateways = null;
    this.retireAfter = Duration.ZERO;
    this.fixed = new Sending(null, gateway);
  }

  /** One gateway for every job, whatever number it names (one number's tests and tools). */
  public static SendingNumbers single(Vertx vertx, GraphGateway gateway) {
    return new SendingNumbers(vertx, gateway);
  }

  /**
   * Starts hearing the pauses of every number (from any process, clustered) and calls {@code wake} when a
   * number's sending can resume (pause over, breaker half-open or closed).
   */
  public Future<Void> start(Runnable wake) {
    this.wake = wake;
    if (fixed != null) {
      fixed.gateway().gate().start(wake);
    }
    pauses = SenderGate.listen(vertx, wake);
    return pauses.completion();
  }

  /**
   * Where a job naming {@code numberId} goes out from: that number (the default one for null); empty when the
   * number is no longer served (removed by a reload).
   */
  public Optional<Sending> forJob(String numberId) {
    if (fixed != null) {
      return Optional.of(fixed);
    }
    Optional<NumberConfig> number = numbers.forJob(numberId);
    if (number.isEmpty()) {
      Sending gone = byId.remove(numberId);
      if (gone != null) {
        retire(gone, true);
      }
      return Optional.empty();
    }
    NumberConfig current = number.get();
    Sending cached = byId.get(current.phoneNumberId());
    if (cached != null && cached.number().equals(current)) {
      return Optional.of(cached);
    }
    if (cached != null) {
      // The number changed (token, limit, name): the next job meets the new settings. The old gateway stays
      // open for the requests in flight on it; its breaker's state is the new one's when the label is the same.
      retire(cached, !cached.label().equals(current.label()));
    }
    Sending made = new Sending(current, gateways.apply(current));
    made.gateway().gate().start(wake);
    byId.put(current.phoneNumberId(), made);
    return Optional.of(made);
  }

  /** The label of a number no longer served: the last it had while served, or else its hash (never the raw id). */
  public String removedLabel(String numberId) {
    return numbers == null ? NumberConfig.labelFor(null, numberId) : numbers.removedLabel(numberId);
  }

  /**
   * Whether any number may send now: false only when every number this instance has sent from is held
   * (paused or its breaker open), so that one number's trouble does not stop the others' jobs being claimed.
   */
  public boolean anyAccepts() {
    if (fixed != null) {
      return fixed.gateway().gate().held().isEmpty();
    }
    if (byId.size() < numbers.all().size()) {
      return true; // a number not sent from yet has nothing holding it
    }
    return byId.values().stream().anyMatch(s -> s.gateway().gate().held().isEmpty());
  }

  /**
   * How many jobs this instance should run at once: the sum of its numbers' windows (a number not sent from
   * yet counts as a new window), at most {@code most}.
   */
  public int inFlightLimit(int least, int most) {
    if (fixed != null) {
      return fixed.gateway().window().limit();
    }
    long sum = (long) Math.max(0, numbers.all().size() - byId.size()) * least;
    for (Sending s : byId.values()) {
      sum += s.gateway().window().limit();
    }
    return (int) Math.max(least, Math.min(most, sum));
  }

  /** The gateways made so far, for their meters and for closing. */
  List<Sending> all() {
    return fixed != null ? List.of(fixed) : new ArrayList<>(byId.values());
  }

  private void retire(Sending old, boolean forget) {
    vertx.setTimer(Math.max(1, retireAfter.toMillis()), id -> old.gateway().close(forget));
  }

  public void close() {
    if (pauses != null) {
      pauses.unregister();
    }
    all().forEach(s -> s.gateway().close());
    byId.clear();
  }
}
