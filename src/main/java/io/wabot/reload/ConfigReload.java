package io.wabot.reload;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;
import io.wabot.config.AppConfig;
import io.wabot.config.ConfigException;
import io.wabot.config.LoadedConfig;
import io.wabot.config.NumberConfig;
import io.wabot.config.WhatsAppConfig;
import io.wabot.numbers.BusinessNumbers;
import io.wabot.observability.Events;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the configuration while the service runs ({@code POST /admin/config/reload}, {@code SIGHUP}) and
 * applies what can change without a restart: the business numbers ({@code whatsapp.numbers}: added, changed,
 * removed), which every feature looks up per message in {@link BusinessNumbers}.
 *
 * <p>The same layers as at start-up are read and validated the same way. An invalid configuration is refused
 * whole, with every problem on its own line, and the running one is kept. A valid one replaces the numbers; the
 * other settings it changes are named as needing a restart (they were read once, at start-up) and left as they
 * are. Reloads run one at a time, in the order asked.
 *
 * <p>One per Vert.x instance ({@link #of}): each node of a cluster reloads on its own.
 */
public final class ConfigReload implements Shareable {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);
  private static final String MAP = "wabot.config-reload";
  private static final String KEY = "reload";

  /**
   * What one reload did.
   *
   * @param problems    why it was refused, one line each; empty when applied
   * @param change      the numbers added, changed and removed; null when refused
   * @param needRestart the settings outside {@code whatsapp.numbers} the new configuration changes, which only a
   *                    restart applies
   */
  public record Outcome(List<String> problems, BusinessNumbers.Change change, List<String> needRestart) {

    public boolean applied() {
      return problems.isEmpty();
    }

    public JsonObject toJson() {
      if (!applied()) {
        return new JsonObject().put("applied", false).put("problems", new JsonArray(problems));
      }
      return new JsonObject().put("applied", true).put("added", labels(change.added())).put("changed", labels(change.changed()))
          .put("removed", labels(change.removed())).put("needRestart", new JsonArray(needRestart));
    }
  }

  private final Supplier<Future<LoadedConfig>> source;
  private final BusinessNumbers numbers;
  private AppConfig current;
  private Future<Outcome> last = Future.succeededFuture();
  /** What the running process does to every number it serves (the sandbox adds its simulated team), on reload too. */
  private volatile java.util.function.UnaryOperator<NumberConfig> adjustment = java.util.function.UnaryOperator.identity();

  /**
   * @param loaded the configuration the process started with, as read (before the sandbox or a free port adjusted it)
   * @param source reads and validates the configuration again; fails with a {@link ConfigException} when invalid
   */
  public ConfigReload(AppConfig loaded, BusinessNumbers numbers, Supplier<Future<LoadedConfig>> source) {
    this.current = loaded;
    this.numbers = numbers;
    this.source = source;
  }

  /**
   * Adjusts every number the running process serves, now and at each reload (the sandbox's simulated team
   * as the escalation channel of the numbers that have none).
   */
  public void adjustNumbers(java.util.function.UnaryOperator<NumberConfig> adjust) {
    adjustment = adjust;
    numbers.replace(numbers.all().stream().map(adjust).toList());
  }

  /** Makes {@code reload} this Vert.x instance's, for the admin endpoint. */
  public static void install(Vertx vertx, ConfigReload reload) {
    vertx.sharedData().<String, ConfigReload>getLocalMap(MAP).put(KEY, reload);
  }

  /** This Vert.x instance's reload, if the application installed one. */
  public static Optional<ConfigReload> of(Vertx vertx) {
    return Optional.ofNullable(vertx.sharedData().<String, ConfigReload>getLocalMap(MAP).get(KEY));
  }

  /**
   * Reads, validates and applies the configuration; never fails (a failure to read is a refusal).
   *
   * @param trigger what asked for it, for the event ({@code admin}, {@code sighup})
   */
  public synchronized Future<Outcome> reload(String trigger) {
    Future<Outcome> next = last.transform(ignored -> read().map(loaded -> apply(loaded.config(), trigger))
        .recover(e -> Future.succeededFuture(refuse(e, trigger))));
    last = next;
    return next;
  }

  private Future<LoadedConfig> read() {
    try {
      return source.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Outcome apply(AppConfig next, String trigger) {
    List<String> needRestart = restartOnly(current, next);
    BusinessNumbers.Change change = numbers.replace(next.whatsapp().numbers().stream().map(adjustment).toList());
    synchronized (this) {
      current = next;
    }
    Events.info(LOG, "config.reloaded").addKeyValue("trigger", trigger).addKeyValue("added", labels(change.added()).encode())
        .addKeyValue("changed", labels(change.changed()).encode()).addKeyValue("removed", labels(change.removed()).encode())
        .addKeyValue("need_restart", String.join(",", needRestart))
        .log("Configuration reloaded: numbers added {}, changed {}, removed {}{}", labels(change.added()).encode(),
            labels(change.changed()).encode(), labels(change.removed()).encode(),
            needRestart.isEmpty() ? "" : "; changed settings that need a restart: " + String.join(", ", needRestart));
    return new Outcome(List.of(), change, needRestart);
  }

  private static Outcome refuse(Throwable e, String trigger) {
    // One line each, whatever a parser's message holds: the answer is read line by line.
    List<String> problems = (e instanceof ConfigException config ? config.problems()
        : List.of("cannot read the configuration: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())))
        .stream().map(problem -> problem.replaceAll("\\s*\\R\\s*", " ")).toList();
    Events.warn(LOG, "config.reload_refused").addKeyValue("trigger", trigger).addKeyValue("problems", String.join("\n", problems))
        .log("Configuration reload refused, the running configuration is kept; {} problem(s):\n  {}", problems.size(),
            String.join("\n  ", problems));
    return new Outcome(problems, null, List.of());
  }

  /**
   * The sections of the configuration (and the shared WhatsApp settings) that differ, by name: read once at
   * start-up, they only change with a restart. Compared section by section, so a section added to
   * {@link AppConfig} is covered without a change here.
   */
  static List<String> restartOnly(AppConfig before, AppConfig after) {
    List<String> changed = new ArrayList<>();
    for (RecordComponent section : AppConfig.class.getRecordComponents()) {
      if (section.getName().equals("whatsapp")) {
        continue;
      }
      if (!Objects.equals(value(section, before), value(section, after))) {
        changed.add(section.getName());
      }
    }
    WhatsAppConfig a = before.whatsapp();
    WhatsAppConfig b = after.whatsapp();
    if (!Objects.equals(a.apiBaseUrl(), b.apiBaseUrl())) {
      changed.add("whatsapp.apiBaseUrl");
    }
    if (!Objects.equals(a.apiVersion(), b.apiVersion())) {
      changed.add("whatsapp.apiVersion");
    }
    return changed;
  }

  private static Object value(RecordComponent component, AppConfig config) {
    try {
      return component.getAccessor().invoke(config);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("AppConfig." + component.getName() + " cannot be read", e);
    }
  }

  private static JsonArray labels(List<NumberConfig> numbers) {
    return new JsonArray(numbers.stream().map(NumberConfig::label).toList());
  }
}
