package io.wabot.bot;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.config.ConversationConfig;
import io.wabot.conversation.StateStore;
import io.wabot.conversation.i18n.MessageCatalog;
import io.wabot.queue.Keyspace;
import java.time.Clock;
import java.util.Collection;

/**
 * What a bot's flows, handlers and routes may use, handed to them instead of statics: the Vert.x
 * instance, the Redis client of the worker they run in, conversation state, a web client for your own
 * services, your settings, the metrics registry, the clock, and the whole configuration.
 *
 * <p>Everything here is non-blocking and bound to one worker or HTTP server instance: use it from
 * the futures you return, never from another thread.
 */
public final class BotServices {

  private final Vertx vertx;
  private final AppConfig config;
  private final Redis redis;
  private final Object settings;
  private final MeterRegistry metrics;
  private final Clock clock;
  private WebClient web;

  BotServices(Vertx vertx, AppConfig config, Redis redis, Object settings, MeterRegistry metrics, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.redis = redis;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The whole validated configuration (read-only): the default locale, the catalog path... */
  public AppConfig config() {
    return config;
  }

  /** The Redis client of this worker: pooled, each command failing after {@code redis.commandTimeout}. */
  public Redis redis() {
    return redis;
  }

  /** Where the framework's keys live (prefix, hash tags); put yours under {@code keyspace().key(...)}. */
  public Keyspace keyspace() {
    return Keyspace.of(config.queue());
  }

  /** The conversations' state, to read a customer's state outside a turn (a turn has its own). */
  public StateStore states() {
    return new StateStore(redis, keyspace(), config.conversation().stateTtl());
  }

  /**
   * A web client for your own services (inventory, CRM), made on first use. It is made on the
   * worker's context, so Vert.x closes it when the worker stops.
   */
  public WebClient web() {
    if (web == null) {
      web = WebClient.create(vertx);
    }
    return web;
  }

  /**
   * The copy of {@code conf/messages} in every locale of {@code conversation.locales}, checked to hold
   * {@code keys}: what a WhatsApp Flows handler shows on its screens in the customer's language (the
   * conversation's flows get theirs from a {@code Turn}). A broken file or a complete locale lacking a
   * key fails the future, which stops start-up with one line per problem.
   */
  public Future<MessageCatalog> messages(Collection<String> keys) {
    ConversationConfig conversation = config.conversation();
    return MessageCatalog.load(vertx, conversation.messagesDir(), conversation.locales(), conversation.defaultLocale(), keys);
  }

  /** Your settings as {@link Bot#readSettings} returned them. */
  public <S> S settings(Class<S> type) {
    if (!type.isInstance(settings)) {
      throw new IllegalStateException("the bot's settings are " + (settings == null ? "null" : settings.getClass().getName())
          + ", not " + type.getName() + "; return one from Bot.readSettings");
    }
    return type.cast(settings);
  }

  /** Where to register your meters; they appear on {@code /metrics} with ours. */
  public MeterRegistry metrics() {
    return metrics;
  }

  public Clock clock() {
    return clock;
  }
}
