package io.wabot.conversation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wabot.flows.FlowToken;
import io.wabot.flows.FlowTokenCheck;
import io.wabot.flows.FlowTokens;

/**
 * The conversation's side of WhatsApp Flows (Meta's native forms; not the bot's own {@link Flow}s):
 * issuing the token a flow message is sent with, and checking the token of a completion. Without a
 * Flows key ({@code WHATSAPP_FLOWS_PRIVATE_KEY}) {@code POST /flows} is not served, so a flow that uses
 * the endpoint could not open: a conversation then offers its plain alternative instead
 * ({@link Turn#canSendFlows()}). Completions are checked either way.
 */
public final class WhatsAppFlows {

  /** The token context key naming the conversation {@link Flow} that sent the flow and gets its completion. */
  public static final String OWNER = "owner";

  private static final WhatsAppFlows OFF = new WhatsAppFlows(null, false);

  private final FlowTokens tokens;
  private final boolean endpointServed;

  private WhatsAppFlows(FlowTokens tokens, boolean endpointServed) {
    this.tokens = tokens;
    this.endpointServed = endpointServed;
  }

  /** No flows at all (tests of other things); every completion is refused as unknown. */
  public static WhatsAppFlows off() {
    return OFF;
  }

  /** @param endpointServed whether {@code POST /flows} is on ({@code config.flows().enabled()}) */
  public static WhatsAppFlows using(FlowTokens tokens, boolean endpointServed) {
    return new WhatsAppFlows(tokens, endpointServed);
  }

  /** Whether a flow that uses the data-exchange endpoint can be sent. */
  public boolean canSend() {
    return tokens != null && endpointServed;
  }

  Future<FlowToken> issue(String conversationKey, String flowName, JsonObject context) {
    if (tokens == null) {
      return Future.failedFuture(new IllegalStateException("WhatsApp Flows are off (no flow tokens):"
          + " check Turn.canSendFlows() before sending a flow"));
    }
    return tokens.issue(conversationKey, flowName, context);
  }

  Future<FlowTokenCheck> complete(String token, String conversationKey, String messageId) {
    if (tokens == null) {
      // Without a key the bot sent no flow: whatever token comes back is not one of ours.
      return Future.succeededFuture(new FlowTokenCheck.Refused(FlowTokenCheck.Reason.UNKNOWN, null));
    }
    return tokens.complete(token, conversationKey, messageId);
  }
}
