package io.wabot.flows;

import io.vertx.core.json.JsonObject;

/**
 * One decrypted request of a flow, for its {@link FlowEndpointHandler}.
 *
 * @param action  why the client called
 * @param screen  the screen the customer is on; null for {@link FlowAction#INIT}
 * @param data    what the screen's action sent (form values: personal data, never log them); empty when none
 * @param version the request's data API version, echoed in the answer
 * @param token   the flow token, already checked: issued by the bot, unexpired, unused
 */
public record FlowRequest(FlowAction action, String screen, JsonObject data, String version, FlowToken token) {

  /** The flow's name, as in {@code conf/flows/<name>.json}. */
  public String flowName() {
    return token.flowName();
  }

  @Override
  public String toString() {
    return "FlowRequest[" + token.flowName() + " " + action.wireName() + " " + screen + "]";
  }
}
