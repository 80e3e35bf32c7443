package io.wabot.observability.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Redis;
import io.wabot.config.AlertsConfig;
import io.wabot.config.AppConfig;
import io.wabot.config.ConfigReader;
import io.wabot.observability.Alerts;
import io.wabot.observability.MetricNames;
import io.wabot.observability.ProcessMemory;
import io.wabot.redis.RedisClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Alerting (PF-003): consumes {@link Alerts#ADDRESS} (this node's alerts: every node reports its own)
 * through an {@link AlertService}, runs the threshold {@link Monitor}s every {@code alerts.checkInterval}
 * and the account conditions Meta reported ({@link AccountHealth}) every {@code alerts.checkInterval},
 * and the Redis probe every {@code alerts.redisPingInterval}, and pings the Better Stack heartbeat when
 * one is configured.
 */
public final class AlertVerticle extends VerticleBase {

  private final AppConfig config;
  private final List<Monitor> monitors = new ArrayList<>();
  private final Set<String> firing = new HashSet<>();
  private final List<Long> timers = new ArrayList<>();
  private AlertService service;
  private MessageConsumer<JsonObject> consumer;
  private Redis redis;
  private RedisProbe redisProbe;
  private AccountHealth accountHealth;
  private WebClient heartbeatClient;
  private Heartbeat heartbeat;

  /** @param monitors the conditions to watch: the bot's ({@code Bot.alertMonitors}), over the application's registry */
  public AlertVerticle(AppConfig config, List<Monitor> monitors) {
    this.config = config;
    this.monitors.addAll(monitors);
  }

  @Override
  public Future<?> start() {
    AlertsConfig alerts = config.alerts();
    service = new AlertService(alerts.interval(), System::currentTimeMillis);
    consumer = vertx.eventBus().localConsumer(Alerts.ADDRESS, message -> service.handle(message.body()));
    redis = RedisClients.dedicated(vertx, config.redis());
    redisProbe = new RedisProbe(redis, config.redis().commandTimeout(), alerts.redisFailedPings());
    accountHealth = new AccountHealth(redis, config.queue());

    every(Duration.ofMillis(Math.min(1000, alerts.interval().toMillis())), service::tick);
    every(alerts.checkInterval(), this::checkAll);
    every(alerts.checkInterval(), this::checkAccount);
    every(alerts.redisPingInterval(), this::pingRedis);
    if (config.betterStack().heartbeatEnabled()) {
      heartbeatClient = WebClient.create(vertx, new WebClientOptions().setMetricsName("betterstack-heartbeat"));
      heartbeat = new Heartbeat(heartbeatClient, config.betterStack().heartbeatUrl(),
          () -> redisProbe.healthy(), config.betterStack().requestTimeout());
      every(config.betterStack().heartbeatInterval(), heartbeat::beat);
    }
    return consumer.completion();
  }

  /** The standard conditions (Graph API errors, dead letters, dropped logs, queue lag, memory); a bot adds its own to these. */
  public static List<Monitor> standardMonitors(AlertsConfig alerts, MeterRegistry registry) {
    Duration window = alerts.window();
    return List.of(
        new GraphErrorRateMonitor(() -> registry, window, alerts.graphErrorRate(), alerts.graphMinRequests()),
        new GrowthMonitor(Alerts.DEAD_LETTERS, "dead letters",
            () -> MeterReadings.sum(registry, MetricNames.QUEUE_DEAD_LETTERS), window, alerts.deadLetterGrowth()),
        new GrowthMonitor(Alerts.LOG_DROPS, "dropped log events",
            () -> MeterReadings.sum(registry, MetricNames.LOG_DROPPED), window, alerts.logDropThreshold()),
        new ThresholdMonitor(Alerts.QUEUE_LAG,
            () -> MeterReadings.max(registry, MetricNames.QUEUE_LAG, "queue")
                .map(t -> new ThresholdMonitor.Level(t.value(), t.tag())),
            alerts.queueLag().toMillis(),
            level -> "the oldest unclaimed job in the " + level.where() + " queue has waited "
                + ConfigReader.format(Duration.ofMillis((long) level.value())) + " (threshold "
                + ConfigReader.format(alerts.queueLag()) + ")",
            "queue"),
        new ThresholdMonitor(Alerts.MEMORY,
            () -> {
              var rss = ProcessMemory.residentBytes();
              return rss.isPresent() ? Optional.of(new ThresholdMonitor.Level(rss.getAsLong(), null)) : Optional.empty();
            },
            alerts.rssThreshold(),
            level -> String.format(Locale.ROOT, "the process uses %.0f MB of memory (RSS); the threshold is %.0f MB",
                level.value() / 1e6, alerts.rssThreshold() / 1e6),
            "process"));
  }

  private void every(Duration period, Runnable action) {
    timers.add(vertx.setPeriodic(Math.max(1, period.toMillis()), id -> action.run()));
  }

  private void checkAll() {
    long now = System.currentTimeMillis();
    for (Monitor monitor : monitors) {
      report(monitor.alert(), monitor.check(now));
    }
  }

  /** What Meta reported about templates, the number and the account (a failed read judges nothing). */
  private void checkAccount() {
    accountHealth.alerts(config.conversation().windowTemplate().name()).onSuccess(alerts -> alerts.forEach((alert, conditions) ->
        report(alert, AccountHealth.check(alert, conditions))));
  }

  private void pingRedis() {
    redisProbe.ping().onSuccess(check -> report(redisProbe.alert(), check));
  }

  /** Publishes a firing condition every time (the service dedupes) and a clear one only when it was firing. */
  private void report(String alert, Check check) {
    if (check instanceof Check.Firing f) {
      firing.add(alert);
      Alerts.fire(vertx.eventBus(), alert, f.message(), f.details());
    } else if (check instanceof Check.Clear c && firing.remove(alert)) {
      Alerts.resolve(vertx.eventBus(), alert, c.message());
    }
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    if (heartbeat != null) {
      heartbeat.stop();
    }
    if (redis != null) {
      redis.close();
    }
    if (heartbeatClient != null) {
      heartbeatClient.close();
    }
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
