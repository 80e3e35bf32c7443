package io.wabot.bot;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import io.wabot.config.AlertsConfig;
import io.wabot.config.AppConfig;
import io.wabot.config.BotConfig;
import io.wabot.config.ConfigException;
import io.wabot.config.NumberConfig;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bot that runs, with its settings read: it hands each part of the framework the piece of the bot
 * it needs (the conversation workers their flows, the HTTP server its routes, alerting its monitors),
 * so that no framework package depends on this one or on the bot.
 */
public final class BotRuntime {

  private final Bot bot;
  private final Object settings;
  /** The shared bot configuration, which {@link #bot} and {@link #settings} are. */
  private final BotConfig shared;
  /**
   * The bots of numbers with their own {@code bot.definition} or settings, by configuration: one per distinct
   * configuration, found when first asked for (a number added by a reload may bring a new one).
   */
  private final Map<BotConfig, BotRuntime> others = new ConcurrentHashMap<>();

  private BotRuntime(Bot bot, Object settings, BotConfig shared) {
    this.bot = bot;
    this.settings = settings;
    this.shared = shared;
  }

  /**
   * The registered bot ({@link BotDiscovery}) with its settings, and the bot of every number that has its own; a
   * {@link ConfigException} when any is wrong, naming the number.
   */
  public static BotRuntime load(AppConfig config) {
    BotRuntime runtime = of(BotDiscovery.find(config.bot().definition()), config);
    List<String> problems = new ArrayList<>();
    for (NumberConfig number : config.whatsapp().numbers()) {
      try {
        runtime.forBot(number.bot());
      } catch (ConfigException e) {
        // The number's own bot.definition, not the BOT_DEFINITION variable, is what names a missing class here.
        e.problems().forEach(p -> problems.add("whatsapp.numbers (" + number.label() + "): "
            + p.replaceFirst("^BOT_DEFINITION: ", "bot.definition: ")));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return runtime;
  }

  /** A given bot (tests, or an application that builds its bot itself) with its settings read from {@code config}. */
  public static BotRuntime of(Bot bot, AppConfig config) {
    return read(bot, config.bot());
  }

  private static BotRuntime read(Bot bot, BotConfig config) {
    BotSettings reader = new BotSettings(config.settings());
    Object settings = bot.readSettings(reader);
    if (!reader.problems().isEmpty()) {
      throw new ConfigException(reader.problems());
    }
    return new BotRuntime(bot, settings, config);
  }

  /**
   * The bot answering a number with this configuration: this one for the shared configuration, else the one its
   * {@code bot.definition} names (this bot's class when it names none) with its settings. Found once per distinct
   * configuration.
   *
   * @throws ConfigException when the definition or the settings are wrong
   */
  BotRuntime forBot(BotConfig config) {
    if (config == null || config.equals(shared)) {
      return this;
    }
    return others.computeIfAbsent(config, c -> {
      Bot chosen = c.definition() == null || c.definition().equals(bot.getClass().getName())
          ? newInstance(c.definition()) : BotDiscovery.find(c.definition());
      return read(chosen, c);
    });
  }

  /** The shared bot's class again (its own instance, as the discovery would give), or the one the definition names. */
  private Bot newInstance(String definition) {
    try {
      return bot.getClass().getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return BotDiscovery.find(definition);
    }
  }

  public Bot bot() {
    return bot;
  }

  /** The services of one worker or server instance. */
  public BotServices services(Vertx vertx, AppConfig config, Redis redis) {
    // The zone of the machine, as before the Bot existed: a flow showing dates (the reservation slots) shows local days.
    return new BotServices(vertx, config, redis, settings, Metrics.registry(vertx), Clock.systemDefaultZone());
  }

  /** What the conversation workers run; {@link BotParts#forNumber} gives each number's bot with its settings. */
  public BotParts conversation(AppConfig config) {
    BotRuntime runtime = this;
    return new BotParts() {
      @Override
      public BotParts forNumber(NumberConfig number) {
        // The number's bot sees the number's conversation settings (default locale, business name) as the whole config's.
        return runtime.forBot(number.bot()).conversation(config.withConversation(number.conversation()));
      }

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
