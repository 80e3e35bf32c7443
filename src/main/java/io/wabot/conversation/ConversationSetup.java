package io.wabot.conversation;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.wabot.config.ConfigException;
import io.wabot.config.ConversationConfig;
import io.wabot.conversation.i18n.LocaleTable;
import io.wabot.conversation.i18n.MessageCatalog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads what every conversation worker needs from files (the flows with their catalog, the message
 * copy) and checks them against each other. {@code Main} runs it before starting, so a broken
 * catalog or message file stops start-up with one line per problem, like a bad setting.
 *
 * @param flows    the bot's flows, home flow first
 * @param messages the copy of every locale
 * @param locales  the bot's locale-by-country table
 * @param commands the bot's global commands, in the order they are recognised
 * @param ownHandoffChannel whether the bot delivers hand-off events itself (they then always go to the notify queue)
 */
public record ConversationSetup(List<Flow> flows, MessageCatalog messages, LocaleTable locales, List<Command> commands,
    boolean ownHandoffChannel) {

  public ConversationSetup {
    commands = List.copyOf(commands);
  }

  /** The same, running other flows: for a test that gives the engine a flow of its own. */
  public ConversationSetup withFlows(List<Flow> others) {
    return new ConversationSetup(others, messages, locales, commands, ownHandoffChannel);
  }

  /** Fails with a {@link ConfigException} listing the problems of every file at once. */
  public static Future<ConversationSetup> load(Vertx vertx, Redis redis, ConversationConfig config, BotParts bot) {
    List<Command> commands = bot.commands(vertx, redis);
    return bot.flows(vertx, redis).transform(flows -> {
      Set<String> keys = new HashSet<>(CoreMessages.KEYS);
      if (flows.succeeded()) {
        flows.result().forEach(flow -> keys.addAll(flow.messageKeys()));
      }
      commands.forEach(command -> keys.addAll(command.messageKeys()));
      return MessageCatalog.load(vertx, config.messagesDir(), config.locales(), config.defaultLocale(), keys)
          .transform(messages -> {
            List<String> problems = new ArrayList<>(problems(flows));
            problems.addAll(problems(messages));
            problems.addAll(commandProblems(commands));
            if (!problems.isEmpty()) {
              return Future.failedFuture(new ConfigException(problems));
            }
            if (flows.failed() || messages.failed()) {
              return Future.failedFuture(flows.failed() ? flows.cause() : messages.cause());
            }
            return Future.succeededFuture(new ConversationSetup(flows.result(), messages.result(), bot.locales(), commands,
                bot.ownHandoffChannel()));
          });
    });
  }

  /** Two commands with one name would share words and button id; STOP and START are the engine's, always. */
  static List<String> commandProblems(List<Command> commands) {
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>(Set.of("stop", "start"));
    for (Command command : commands) {
      if (!seen.add(command.name())) {
        problems.add("bot: the global command \"" + command.name() + "\" is listed twice, or is STOP/START (always the engine's)");
      }
    }
    return problems;
  }

  private static List<String> problems(AsyncResult<?> result) {
    return result.failed() && result.cause() instanceof ConfigException e ? e.problems() : List.of();
  }
}
