package io.wabot.bot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Where the team hears about hand-offs: your helpdesk instead of the {@code conversation.escalation}
 * webhook. The engine puts each event on the {@code notify} queue in the same atomic commit as the turn
 * that caused it; the notify worker then calls {@link #deliver} until it succeeds, so an event survives
 * restarts and is delivered at least once (a redelivery has the same {@link Delivery#id()}: deduplicate on it).
 *
 * <p>Events are {@code handoff.requested}, {@code handoff.message} and {@code handoff.ended}, the same JSON
 * the webhook receives (docs/conversation.md). They carry the customer's ids and words: send them to your
 * system, never to a log. The agent's WhatsApp seat ({@code AGENT_WHATSAPP_NUMBER}) works as before beside
 * your channel.
 */
public interface HandoffChannel {

  /**
   * Delivers one event. A failed future is retried with the queue's back-off (up to {@code queue.maxAttempts},
   * then the dead-letter queue); fail with {@link Refused} for an event that can never be accepted, which goes
   * to the dead-letter queue at once. Runs on an event loop: never block.
   */
  Future<Void> deliver(Delivery delivery, BotServices services);

  /**
   * @param id      stable across retries
   * @param event   the event: {@code event} (its type), {@code customer}, {@code reason}, ...
   * @param attempt 1 on the first delivery
   */
  record Delivery(String id, JsonObject event, int attempt) {

    public String type() {
      return event.getString("event", "unknown");
    }
  }

  /** The event cannot be accepted, ever (your system rejected it as invalid): no retry. */
  final class Refused extends RuntimeException {

    public Refused(String why) {
      super(why);
    }
  }
}
