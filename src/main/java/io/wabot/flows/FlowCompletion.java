package io.wabot.flows;

import io.vertx.core.json.JsonObject;

/**
 * A WhatsApp Flow the customer completed, bound to the token the bot issued when it sent the flow: the
 * conversation gets one only after {@link FlowTokens#complete} accepted the token (issued by this bot,
 * to this conversation, unexpired, not used before).
 *
 * @param token   the token as issued: its flow and the context the bot attached (e.g. the SKU)
 * @param answers what the customer submitted (the {@code nfm_reply}'s {@code response_json} without the
 *                token); personal data, never logged
 */
public record FlowCompletion(FlowToken token, JsonObject answers) {

  public FlowCompletion {
    answers = answers == null ? new JsonObject() : answers.copy();
  }

  /** The flow's name (its file in {@code conf/flows}). */
  public String flowName() {
    return token.flowName();
  }

  /** A context value the bot attached when sending the flow, or null. */
  public String context(String key) {
    Object value = token.context().getValue(key);
    return value == null ? null : String.valueOf(value);
  }

  /** An answer as text (numbers too), stripped; empty when missing. */
  public String answer(String field) {
    Object value = answers.getValue(field);
    return value == null ? "" : String.valueOf(value).strip();
  }

  @Override
  public String toString() {
    return "FlowCompletion[flow=" + token.flowName() + ", fields=" + answers.size() + "]";
  }
}
