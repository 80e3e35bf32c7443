package io.wabot.conversation;

import io.vertx.core.json.JsonObject;

/**
 * A request to hand the customer to a person.
 *
 * @param reason  why, for the team and the acknowledgment's variant: {@code requested}, {@code reserve},
 *                {@code out_of_stock}, {@code not_understood}, or a flow's own
 * @param subject what it is about in the customer's words (an item's name), or null
 * @param details what the person taking over should know (item, stock, instructions), sent to the team
 */
public record Escalation(String reason, String subject, JsonObject details) {

  public Escalation {
    details = details == null ? new JsonObject() : details.copy();
  }
}
