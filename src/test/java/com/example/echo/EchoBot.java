package com.example.echo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.wabot.bot.Bot;
import io.wabot.bot.BotServices;
import io.wabot.bot.BotSettings;
import io.wabot.bot.HandoffChannel;
import io.wabot.conversation.Command;
import io.wabot.conversation.Commands;
import io.wabot.conversation.Flow;
import io.wabot.conversation.consent.ConsentHook;
import java.util.List;
import java.util.Optional;

/**
 * An adopter's bot, written the way docs/extending.md says: its own package, one flow, one locale
 * (conversation.locales = ["en"]), consent kept in memory, its own setting, registered in
 * META-INF/services/io.wabot.bot.Bot. Nothing in io.wabot was edited for it.
 */
public final class EchoBot implements Bot {

  /** Every consent store of this process; one per worker, so a test can read the one that ran. */
  static final List<InMemoryConsent> CONSENT_STORES = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** {@code bot.settings.maxLength}: the longest echo, in characters. */
  record EchoSettings(int maxLength) {
  }

  @Override
  public Object readSettings(BotSettings settings) {
    return new EchoSettings(settings.integer("maxLength", 1, 4096, 200));
  }

  @Override
  public Future<List<Flow>> flows(BotServices services) {
    return Future.succeededFuture(List.of(new EchoFlow(services.settings(EchoSettings.class).maxLength())));
  }

  /** Where the echo bot's hand-offs go: its own helpdesk, not a webhook. One per process, as the Bot's javadoc says. */
  static final InMemoryHelpdesk HELPDESK = new InMemoryHelpdesk();

  @Override
  public Optional<HandoffChannel> handoffChannel() {
    return Optional.of(HELPDESK);
  }

  /** The engine's global commands and one of the bot's own. */
  @Override
  public List<Command> commands(BotServices services) {
    return Commands.standardAnd(new PingCommand());
  }

  /** A route of the adopter's own: what this bot is and how it is set, for their monitoring. */
  @Override
  public void routes(Router router, BotServices services) {
    int maxLength = services.settings(EchoSettings.class).maxLength();
    router.get("/echo/status").handler(ctx -> ctx.json(new JsonObject().put("bot", "echo").put("maxLength", maxLength)));
  }

  @Override
  public ConsentHook consent(BotServices services) {
    InMemoryConsent store = new InMemoryConsent();
    CONSENT_STORES.add(store);
    return store;
  }
}
