package io.wabot.conversation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * One conversation a bot can hold: the sample {@code sales} flow, or yours. Flows are listed in
 * your bot's {@code Bot.flows}; the first one is the home flow, whose {@link #start} is the main menu.
 *
 * <p>The engine runs global commands (menu, help, agent, stop/start, language) before any flow, so a
 * flow only sees messages meant for it: taps on its own choices (ids starting with {@code name() + ":"})
 * and, while the conversation is in one of its steps, free text. A flow reads the customer's message
 * and state from the {@link Turn} and answers through it; it never writes to Redis or sends anything
 * itself, which is what makes a turn atomic and safe to run again after a crash.
 *
 * <pre>{@code
 * public final class OpeningHoursFlow implements Flow {
 *   public String name() { return "hours"; }
 *   public Future<Void> handle(Turn turn) {
 *     turn.say("hours.today", Texts.params("open", "9:00", "close", "18:00"));
 *     return Future.succeededFuture();
 *   }
 * }
 * }</pre>
 */
public interface Flow {

  /** A short unique name: the prefix of this flow's choice ids and the value of the state's {@code flow}. */
  String name();

  /**
   * Whether this flow takes the message. By default: a choice whose id starts with {@code name() + ":"},
   * the completion of a WhatsApp Flow this flow sent ({@link Turn#sendFlow}), or free text while the
   * conversation is in this flow.
   */
  default boolean handles(Turn turn) {
    if (turn.completedFlow() != null) {
      return name().equals(turn.completedFlow().context(WhatsAppFlows.OWNER));
    }
    String choice = turn.choice();
    if (choice != null) {
      return choice.startsWith(name() + ":");
    }
    return name().equals(turn.state().flow());
  }

  /**
   * Whether this flow answers a photo, voice note, video, document or sticker ({@link Turn#media()}: stored,
   * or failed to download). Only the flow the conversation is in is asked (the home flow at the start). By
   * default no: the engine tells the customer politely what it cannot use, and during a hand-off the team
   * gets the file whatever the flows say.
   */
  default boolean takesMedia(Turn turn) {
    return false;
  }

  /** Answers one message. A failed future makes the whole message run again later. */
  Future<Void> handle(Turn turn);

  /**
   * Shows this flow's starting point, e.g. a main menu. Only the home flow (first in {@code Bot.flows}) is
   * asked. {@code intro} is a text to put first (an apology, a hint), or null for the usual greeting.
   */
  default Future<Void> start(Turn turn, String intro) {
    return handle(turn);
  }

  /** What the person taking over should know about where the customer is in this flow (the selected item...). */
  default Future<JsonObject> describeForTeam(ConversationState state) {
    return Future.succeededFuture(new JsonObject());
  }

  /** The message keys this flow uses, checked against the message files at start-up. */
  default Set<String> messageKeys() {
    return Set.of();
  }
}
