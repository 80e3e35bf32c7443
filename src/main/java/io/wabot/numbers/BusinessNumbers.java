package io.wabot.numbers;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import io.wabot.config.NumberConfig;
import io.wabot.config.WhatsAppConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The business numbers this process serves right now: one registry per Vert.x instance, shared by every
 * verticle, replaced whole by a configuration reload. Readers look a number up per job or per request
 * (never keep a {@link NumberConfig} across jobs), so a reload takes effect at the next message without
 * redeploying anything.
 *
 * <p>Thread-safe: the list is immutable and swapped atomically; listeners are told on the reloading thread.
 */
public final class BusinessNumbers implements Shareable {

  private static final String MAP = "wabot.business-numbers";
  private static final String KEY = "registry";

  /** What a reload changed, by label. */
  public record Change(List<NumberConfig> added, List<NumberConfig> changed, List<NumberConfig> removed) {
    public boolean isEmpty() {
      return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
    }
  }

  private volatile Snapshot snapshot;
  /** The label of every number served since start, removed ones too: their dead letters and events name them. */
  private final Map<String, String> labels = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();

  private record Snapshot(List<NumberConfig> all, Map<String, NumberConfig> byId) {
    static Snapshot of(List<NumberConfig> numbers) {
      return new Snapshot(List.copyOf(numbers), numbers.stream().collect(Collectors.toUnmodifiableMap(NumberConfig::phoneNumberId, n -> n)));
    }
  }

  public BusinessNumbers(List<NumberConfig> numbers) {
    if (numbers.isEmpty()) {
      throw new IllegalArgumentException("a deployment serves at least one number");
    }
    this.snapshot = Snapshot.of(numbers);
    remember(numbers);
  }

  private void remember(List<NumberConfig> numbers) {
    numbers.forEach(n -> labels.put(n.phoneNumberId(), n.label()));
  }

  /** This Vert.x instance's registry, made from {@code config} by the first caller. */
  public static BusinessNumbers of(Vertx vertx, WhatsAppConfig config) {
    return (BusinessNumbers) vertx.sharedData().<String, BusinessNumbers>getLocalMap(MAP)
        .computeIfAbsent(KEY, k -> new BusinessNumbers(config.numbers()));
  }

  /** Every number served, the default first. */
  public List<NumberConfig> all() {
    return snapshot.all();
  }

  /** The number with this {@code phone_number_id}, if it is served now. */
  public Optional<NumberConfig> find(String phoneNumberId) {
    return phoneNumberId == null ? Optional.empty() : Optional.ofNullable(snapshot.byId().get(phoneNumberId));
  }

  /** The number an operator names: by {@code phone_number_id}, label or name (case-insensitive). */
  public Optional<NumberConfig> named(String nameOrId) {
    return snapshot.all().stream().filter(n -> names(n, nameOrId)).findFirst();
  }

  /** Whether {@code nameOrId} is this number's {@code phone_number_id}, label or name. */
  public static boolean names(NumberConfig number, String nameOrId) {
    return nameOrId.equals(number.phoneNumberId()) || nameOrId.equalsIgnoreCase(number.label())
        || number.name() != null && nameOrId.equalsIgnoreCase(number.name());
  }

  /** The default number: the first listed; it answers jobs stored before numbers were configurable. */
  public NumberConfig defaultNumber() {
    return snapshot.all().get(0);
  }

  /**
   * The number a job belongs to: the one it names, the default one when it names none (stored by an earlier
   * version), or empty when it names a number no longer served (removed by a reload).
   */
  public Optional<NumberConfig> forJob(String phoneNumberId) {
    return phoneNumberId == null ? Optional.of(defaultNumber()) : find(phoneNumberId);
  }

  /** The bounded label of a number for metrics and logs: its name or hash; {@code unknown} when not served. */
  public String label(String phoneNumberId) {
    return find(phoneNumberId).map(NumberConfig::label).orElse(phoneNumberId == null ? defaultNumber().label() : "unknown");
  }

  /**
   * The label of a number that may no longer be served: the last one it had while served, or else its hash
   * (never the raw id), for the dead letters and events of its leftover jobs.
   */
  public String removedLabel(String phoneNumberId) {
    return labels.getOrDefault(phoneNumberId, NumberConfig.labelFor(null, phoneNumberId));
  }

  /** Replaces the list (a configuration reload) and tells the listeners what changed. */
  public Change replace(List<NumberConfig> next) {
    if (next.isEmpty()) {
      throw new IllegalArgumentException("a deployment serves at least one number");
    }
    Snapshot before = snapshot;
    Snapshot after = Snapshot.of(next);
    List<NumberConfig> added = new ArrayList<>();
    List<NumberConfig> changed = new ArrayList<>();
    List<NumberConfig> removed = new ArrayList<>();
    for (NumberConfig number : after.all()) {
      NumberConfig old = before.byId().get(number.phoneNumberId());
      if (old == null) {
        added.add(number);
      } else if (!old.equals(number)) {
        changed.add(number);
      }
    }
    before.all().stream().filter(n -> !after.byId().containsKey(n.phoneNumberId())).forEach(removed::add);
    remember(next);
    snapshot = after;
    Change change = new Change(List.copyOf(added), List.copyOf(changed), List.copyOf(removed));
    if (!change.isEmpty()) {
      listeners.forEach(listener -> listener.accept(change));
    }
    return change;
  }

  /** Calls {@code listener} after every reload that changed something (on the reloading thread). */
  public void onChange(Consumer<Change> listener) {
    listeners.add(listener);
  }
}
