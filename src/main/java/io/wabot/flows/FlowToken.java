package io.wabot.flows;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A flow token the bot issued: the flow message carries it, Meta sends it back with every request of
 * that flow and in the completion message, and it tells the bot whose flow it is.
 *
 * @param value           the token itself
 * @param conversationKey the conversation the flow was sent in
 * @param flowName        the flow (its definition's name in {@code conf/flows})
 * @param context         what the bot attached when sending (e.g. the SKU to reserve); not personal data
 * @param expiresAt       after this the endpoint answers 427 and a completion is refused
 */
public record FlowToken(String value, String conversationKey, String flowName, JsonObject context, Instant expiresAt) {

  @Override
  public String toString() {
    // The conversation key may be a phone number: keep it out of stray log lines.
    return "FlowToken[flow=" + flowName + ", expiresAt=" + expiresAt + "]";
  }
}
