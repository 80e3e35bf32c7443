package io.wabot.sandbox;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A request the {@link GraphApiSimulator} accepted, handed to its listeners: the sandbox shows replies
 * on its chat page and sends status webhooks from these.
 *
 * @param wamid     the id answered ({@code wamid.…}), or null for a read receipt
 * @param recipient the customer ({@code to} or {@code recipient}); null for a read receipt
 * @param kind      the message {@code type}, or {@code read} for a read receipt
 * @param body      the request body as sent
 * @param at        when it was accepted
 * @param number    the business number that sent it: the {@code phone-number-id} of the request's path
 */
public record AcceptedMessage(String wamid, String recipient, String kind, JsonObject body, Instant at, String number) {

  public boolean isReadReceipt() {
    return "read".equals(kind);
  }

  /** Accepted, but Meta would never deliver it: a business-scoped user id in {@code to}. */
  public boolean undeliverable() {
    return GraphApiSimulator.undeliverable(body);
  }

  /** As sent on the event bus (clustered, from the node whose simulator accepted it to the sandbox's owner). */
  public JsonObject toJson() {
    return new JsonObject().put("wamid", wamid).put("recipient", recipient).put("kind", kind).put("body", body)
        .put("atMs", at.toEpochMilli()).put("number", number);
  }

  public static AcceptedMessage fromJson(JsonObject json) {
    return new AcceptedMessage(json.getString("wamid"), json.getString("recipient"), json.getString("kind"),
        json.getJsonObject("body"), Instant.ofEpochMilli(json.getLong("atMs")),
        json.getString("number"));
  }
}
