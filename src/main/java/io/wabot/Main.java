package io.wabot;

import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.wabot.bot.BotRuntime;
import io.wabot.config.AppConfig;
import io.wabot.config.ConfigException;
import io.wabot.config.ConfigLoader;
import io.wabot.config.LoadedConfig;
import io.wabot.conversation.ConversationSetup;
import io.wabot.flows.FlowsSetup;
import io.wabot.observability.Events;
import io.wabot.redis.RedisClients;
import io.wabot.reload.ReloadSignal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: configuration first (and stop with every problem listed when it is wrong), then the
 * application, then a SIGTERM hook that stops it within the shutdown budget.
 */
public final class Main {

  /** Exit status for a configuration that cannot be used (sysexits' EX_CONFIG). */
  static final int EXIT_CONFIG = 78;
  static final int EXIT_START_FAILED = 1;

  static {
    // Before the first logger: LOG_FORMAT=text picks the readable stdout format (logback-text.xml).
    if ("text".equalsIgnoreCase(System.getenv("LOG_FORMAT")) && System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-text.xml");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) throws InterruptedException {
    Loaded loaded = loadConfig();
    Events.info(LOG, "config.loaded")
        .addKeyValue("settings", loaded.describeSettings())
        .log("Configuration loaded ({} mode)", loaded.config().mode().name());

    Application app = new Application(loaded.config(), loaded.bot());
    long budgetMs = loaded.config().mode().shutdownTimeout().toMillis();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(app, budgetMs), "shutdown"));
    // kill -HUP re-reads the configuration (numbers added, changed, removed); it reports its own outcome.
    ReloadSignal.install(() -> app.reload("sighup"));
    try {
      app.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      java.util.Optional<String> remedy = StartFailure.explain(cause, app.config().http());
      if (remedy.isPresent()) {
        // a person's mistake (e.g. the port is taken): one line, no stack trace
        Events.error(LOG, "service.start_failed").log("whatsapp-chatbot could not start: {}", remedy.get());
        System.err.println("whatsapp-chatbot cannot start: " + remedy.get());
      } else {
        Events.error(LOG, "service.start_failed").setCause(cause).log("whatsapp-chatbot could not start");
      }
      halt(EXIT_START_FAILED);
    }
  }

  /** The settings and the bot they select, both checked. */
  private record Loaded(LoadedConfig settings, BotRuntime bot) {
    AppConfig config() {
      return settings.config();
    }

    java.util.Map<String, String> describeSettings() {
      return settings.describeSettings();
    }
  }

  private static Loaded loadConfig() throws InterruptedException {
    // vertx-config needs a Vert.x instance; this small one lives only while the files are read, before
    // the real (possibly clustered) one is built from the settings it returns.
    Vertx bootstrap = Vertx.vertx();
    try {
      // The catalog, message and flow files are configuration too: a broken one stops start-up the same way.
      return ConfigLoader.load(bootstrap, System.getenv())
          .compose(settings -> checkBot(bootstrap, settings))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ConfigException config) {
        System.err.println("whatsapp-chatbot cannot start: " + config.problems().size() + " configuration problem(s)");
        config.problems().forEach(problem -> System.err.println("  " + problem));
        System.err.flush();
        halt(EXIT_CONFIG);
      }
      throw new IllegalStateException("reading the configuration failed", e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("reading the configuration took longer than 30 s", e);
    } finally {
      bootstrap.close();
    }
  }

  /** Finds the bot and builds its flows and handlers once against the files, with a Redis client that is never used. */
  private static Future<Loaded> checkBot(Vertx bootstrap, LoadedConfig settings) {
    AppConfig config = settings.config();
    BotRuntime bot = BotRuntime.load(config);
    Redis redis = RedisClients.pooled(bootstrap, config.redis());
    List<Future<?>> checks = new ArrayList<>();
    checks.add(ConversationSetup.load(bootstrap, redis, config.conversation(), bot.conversation(config)));
    // Every number with a bot or conversation settings of its own answers with its own flows and copy: check those too.
    config.whatsapp().numbers().stream()
        .filter(n -> !n.bot().equals(config.bot()) || !n.conversation().equals(config.conversation()))
        .collect(Collectors.toMap(n -> List.of(n.bot(), n.conversation()), n -> n, (a, b) -> a, LinkedHashMap::new)).values()
        .forEach(n -> checks.add(ConversationSetup.load(bootstrap, redis, n.conversation(), bot.conversation(config).forNumber(n))));
    checks.add(FlowsSetup.load(bootstrap, config, () -> bot.http(config).flowEndpoints(bootstrap, redis)));
    return ConfigException.allOf(checks)
        .map(checked -> new Loaded(settings, bot))
        .andThen(done -> redis.close());
  }

  private static void shutdown(Application app, long budgetMs) {
    Events.info(LOG, "service.stopping").log("SIGTERM received: stopping within {} ms", budgetMs);
    try {
      app.stop().toCompletionStage().toCompletableFuture().get(budgetMs + 2_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      Events.warn(LOG, "service.stop_incomplete").setCause(e).log("Stopping did not complete in time");
    } finally {
      stopLogging();
    }
  }

  /** Flushes the asynchronous appenders (stdout, Better Stack) before the JVM exits. */
  private static void stopLogging() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      context.stop();
    }
  }

  private static void halt(int status) {
    stopLogging();
    System.exit(status);
  }
}
