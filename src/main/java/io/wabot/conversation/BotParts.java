package io.wabot.conversation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.wabot.config.NumberConfig;
import io.wabot.conversation.consent.ConsentHook;
import io.wabot.conversation.i18n.LocaleTable;
import io.wabot.queue.JobHandler;
import java.util.List;

/**
 * What the bot adds to the conversation and notify workers: its flows, global commands, consent store and locale table.
 * The application builds it from the adopter's {@code Bot}, so this package never knows which bot runs.
 * Each worker asks once, with its own Vert.x and Redis client.
 */
public interface BotParts {

  /**
   * The parts of the bot answering {@code number}: its own {@code bot.definition} and settings when it has them, and
   * its conversation settings as the bot's services see them. By default the same parts for every number.
   */
  default BotParts forNumber(NumberConfig number) {
    return this;
  }

  /** The flows, home flow first. */
  Future<List<Flow>> flows(Vertx vertx, Redis redis);

  ConsentHook consent(Vertx vertx, Redis redis);

  /**
   * Whether the bot delivers hand-off events itself ({@code Bot.handoffChannel}): then every event goes to
   * the {@code notify} queue for it, webhook or not.
   */
  boolean ownHandoffChannel();

  /** The {@code notify} queue's handler delivering to the bot's channel; asked for only when {@link #ownHandoffChannel()}. */
  JobHandler handoffChannel(Vertx vertx, Redis redis);

  /** The global commands, checked before any flow. */
  List<Command> commands(Vertx vertx, Redis redis);

  LocaleTable locales();
}
