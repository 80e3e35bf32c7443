package io.wabot.conversation;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A person is handling the conversation: the bot stays quiet until {@code until}, an admin hands it
 * back, or the customer asks for the menu.
 *
 * @param escalationId the id of the request (the inbound message that asked for a person)
 * @param since        when the customer was handed over
 * @param until        when the bot takes over again if nobody hands back
 * @param reason       why: {@code requested}, {@code reserve}, {@code out_of_stock}, {@code not_understood}, ...
 */
public record Handoff(String escalationId, Instant since, Instant until, String reason) {

  public boolean activeAt(Instant now) {
    return now.isBefore(until);
  }

  JsonObject toJson() {
    return new JsonObject().put("escalationId", escalationId).put("since", since.toString())
        .put("until", until.toString()).put("reason", reason);
  }

  static Handoff fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    return new Handoff(json.getString("escalationId"), Instant.parse(json.getString("since")),
        Instant.parse(json.getString("until")), json.getString("reason"));
  }
}
