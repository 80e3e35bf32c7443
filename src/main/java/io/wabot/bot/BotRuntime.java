package io.wabot.bot;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import io.wabot.config.AlertsConfig;
import io.wabot.config.AppConfig;
import io.wabot.config.ConfigException;
import io.wabot.conversation.BotParts;
import io.wabot.conversation.Command;
import io.wabot.queue.JobHandler;
import io.wabot.conversation.Flow;
import io.wabot.conversation.consent.ConsentHook;
import io.wabot.conversation.i18n.LocaleTable;
import io.wabot.flows.FlowEndpointHandler;
import io.wabot.observability.Metrics;
import io.wabot.observability.alerts.Monitor;
import java.time.Clock;
import java.util.List;

/**
 * The bot that runs, with its settings read: it hands each part of the framework the piece of the bot
 * it needs (the conversation workers their flows, the HTTP server its routes, alerting its monitors),
 * so that no framework package depends on this one or on the bot.
 */
public final class BotRuntime {

  private final Bot bot;
  private final Object settings;

  private BotRuntime(Bot bot, Object settings) {
    this.bot = bot;
    this.settings = settings;
  }

  /** The registered bot ({@link BotDiscovery}) with its settings; a {@link ConfigException} when either is wrong. */
  public static BotRuntime load(AppConfig config) {
    return of(BotDiscovery.find(config.bot().definition()), config);
  }

  /** A given bot (tests, or an application that builds its bot itself) with its settings read from {@code config}. */
  public static BotRuntime of(Bot bot, AppConfig config) {
    BotSettings reader = new BotSettings(config.bot().settings());
    Object settings = bot.readSettings(reader);
    if (!reader.problems().isEmpty()) {
      throw new ConfigException(reader.problems());
    }
    return new BotRuntime(bot, settings);
  }

  public Bot bot() {
    return bot;
  }

  /** The services of one worker or server instance. */
  public BotServices services(Vertx vertx, AppConfig config, Redis redis) {
    // The zone of the machine, as before the Bot existed: a flow showing dates (the reservation slots) shows local days.
    return new BotServices(vertx, config, redis, settings, Metrics.registry(vertx), Clock.systemDefaultZone());
  }

  /** What the conversation workers run. */
  public BotParts conversation(AppConfig config) {
    return new BotParts() {
      @Override
      public Future<List<Flow>> flows(Vertx vertx, Redis redis) {
        return bot.flows(services(vertx, config, redis));
      }

      @Override
      public ConsentHook consent(Vertx vertx, Redis redis) {
        return bot.consent(services(vertx, config, redis));
      }

      @Override
      public boolean ownHandoffChannel() {
        return bot.handoffChannel().isPresent();
      }

      @Override
      public JobHandler handoffChannel(Vertx vertx, Redis redis) {
        return new ChannelDeliveries(bot.handoffChannel().orElseThrow(), services(vertx, config, redis));
      }

      @Override
      public List<Command> commands(Vertx vertx, Redis redis) {
        return bot.commands(services(vertx, config, redis));
      }

      @Override
      public LocaleTable locales() {
        return bot.locales();
      }
    };
  }

  /** What the HTTP server serves for the bot. */
  public BotRoutes http(AppConfig config) {
    return new BotRoutes() {
      @Override
      public Future<List<FlowEndpointHandler>> flowEndpoints(Vertx vertx, Redis redis) {
        return bot.flowEndpoints(services(vertx, config, redis));
      }

      @Override
      public void mount(Router router, Vertx vertx, Redis redis) {
        bot.routes(router, services(vertx, config, redis));
      }
    };
  }

  /** The alert conditions over {@code registry}. */
  public List<Monitor> monitors(AlertsConfig alerts, MeterRegistry registry) {
    return bot.alertMonitors(alerts, registry);
  }
}
