package io.wabot.bot;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.wabot.config.AlertsConfig;
import io.wabot.conversation.Command;
import io.wabot.conversation.Commands;
import io.wabot.conversation.Flow;
import io.wabot.conversation.consent.ConsentHook;
import io.wabot.conversation.consent.RedisConsentHook;
import io.wabot.conversation.i18n.LocaleTable;
import io.wabot.flows.FlowEndpointHandler;
import io.wabot.observability.alerts.AlertVerticle;
import io.wabot.observability.alerts.Monitor;
import java.util.List;
import java.util.Optional;

/**
 * Your bot, defined once in your own package: everything the framework runs that is yours. Implement
 * it, give it a public no-argument constructor and register it in
 * {@code src/main/resources/META-INF/services/io.wabot.bot.Bot} (one line: its class name). When
 * several are on the class path, {@code BOT_DEFINITION} ({@code bot.definition}) picks one. Start-up
 * fails with one line when none, several or a wrong one are found.
 *
 * <p>Only {@link #flows} is required; every other method has the framework's behaviour as default.
 * The example {@code io.wabot.example.sales.SalesBot} overrides most of them; docs/extending.md walks
 * through writing your own.
 *
 * <p>One instance serves the whole process: {@link #readSettings} is called once at start-up, the
 * methods taking {@link BotServices} once per worker or HTTP server instance (each with its own
 * event loop and Redis client), so keep what they build in what they return, not in fields.
 */
public interface Bot {

  /**
   * Reads and checks your own settings, the JSON object {@code bot.settings} of the configuration
   * ({@code CONFIG_FILE}), into a record of yours; {@link BotServices#settings(Class)} hands it back.
   * Problems recorded through {@code settings} stop start-up with the other configuration problems.
   * By default the bot has no settings.
   */
  default Object readSettings(BotSettings settings) {
    return null;
  }

  /**
   * The flows, in order: the first is the home flow (its start is the main menu and it gets the free
   * text no other flow claims). Global commands ({@link #commands}) run before any flow. A failed
   * future stops start-up.
   */
  Future<List<Flow>> flows(BotServices services);

  /**
   * The global commands, recognised anywhere in a conversation before any flow, in this order: by
   * default the engine's ({@link Commands#standard()}: menu, help, agent, language, greeting, thanks).
   * Add yours with {@code Commands.standardAnd(new HoursCommand())}, or leave one of ours out. STOP and
   * START are not in the list: consent words are always honoured.
   */
  default List<Command> commands(BotServices services) {
    return Commands.standard();
  }

  /** The server side of your WhatsApp Flows ({@code conf/flows}); asked for only when {@code /flows} is served. */
  default Future<List<FlowEndpointHandler>> flowEndpoints(BotServices services) {
    return Future.succeededFuture(List.of());
  }

  /**
   * Which locale a customer who has not chosen one gets, by country. By default everyone gets
   * {@code conversation.defaultLocale}. The locales themselves are the message files ({@code conversation.locales}).
   */
  default LocaleTable locales() {
    return LocaleTable.NONE;
  }

  /**
   * Where consent and opt-outs are kept and asked. By default in Redis; return your own
   * {@link ConsentHook} to keep consent in your system. It also records the marketing opt-outs Meta
   * reports ({@code user_preferences}, error 131050).
   */
  default ConsentHook consent(BotServices services) {
    return new RedisConsentHook(services.redis(), services.keyspace());
  }

  /**
   * Where the team hears about hand-offs, if not at the {@code conversation.escalation} webhook: your helpdesk.
   * By default (empty) the channels of the settings: the webhook ({@code ESCALATION_WEBHOOK_URL}) and the
   * agent's WhatsApp number ({@code AGENT_WHATSAPP_NUMBER}). A channel of yours replaces the webhook; the
   * agent's number still works beside it. One channel serves the process: keep no per-call state in it.
   */
  default Optional<HandoffChannel> handoffChannel() {
    return Optional.empty();
  }

  /** The alert conditions watched every {@code alerts.checkInterval}: by default the standard ones; add yours to them. */
  default List<Monitor> alertMonitors(AlertsConfig alerts, MeterRegistry registry) {
    return AlertVerticle.standardMonitors(alerts, registry);
  }

  /**
   * Routes of your own (a CRM callback, a status page), mounted on the service's HTTP server after
   * ours and behind the same ingress guard. Protect them yourself: nothing here is authenticated.
   */
  default void routes(Router router, BotServices services) {
  }
}
