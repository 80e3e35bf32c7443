package io.wabot.conversation;

import io.vertx.core.Future;
import io.wabot.flows.FlowCompletion;
import io.wabot.flows.FlowTokenCheck;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import io.wabot.whatsapp.inbound.InboundMessage;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an {@code nfm_reply} into a {@link FlowCompletion} for the conversation, or refuses it: the
 * token must be one this bot issued, to this conversation, unexpired and unused (the same message
 * running again after a crash is still its one use). Every outcome is counted in {@value #COMPLETIONS}
 * and logged as an event; the answers themselves (personal data) never are.
 */
final class FlowCompletions {

  /** Counter, tag {@code outcome}: completed, unknown, expired, used, foreign, unclaimed. */
  static final String COMPLETIONS = "wabot.flows.completions";

  private static final Logger LOG = LoggerFactory.getLogger(FlowCompletions.class);

  private FlowCompletions() {
  }

  /**
   * Accepts the completion ({@link Turn#completedFlow()} is then set; empty answer) or refuses it (the
   * message key of what to tell the customer: expired and used forms are told apart, the rest are "no
   * longer valid").
   */
  static Future<Optional<String>> accept(Turn turn, InboundMessage.FlowReply reply, Correlation correlation,
      ConversationMetrics metrics) {
    return turn.whatsappFlows().complete(reply.flowToken(), turn.customer().key(), reply.id()).map(check -> {
      if (check instanceof FlowTokenCheck.Valid valid) {
        turn.completed(new FlowCompletion(valid.token(), reply.response()));
        metrics.completion("completed");
        Events.info(LOG, "flows.completed", correlation).addKeyValue("flow", valid.token().flowName())
            .addKeyValue("fields", reply.response().size()).log("A customer completed the {} flow", valid.token().flowName());
        return Optional.<String>empty();
      }
      FlowTokenCheck.Refused refused = (FlowTokenCheck.Refused) check;
      String reason = refused.reason().wireName();
      metrics.completion(reason);
      Events.warn(LOG, "flows.completion_refused", correlation).addKeyValue("reason", reason)
          .addKeyValue("flow", refused.token() == null ? null : refused.token().flowName())
          .log("A flow completion was refused: its token is {}", reason);
      return Optional.of(refused.reason() == FlowTokenCheck.Reason.EXPIRED || refused.reason() == FlowTokenCheck.Reason.USED
          ? "flows.refused." + reason : "flows.refused");
    });
  }

  /** An accepted completion that no conversation flow claims (the flow that sent it was removed). */
  static void unclaimed(Turn turn, Correlation correlation, ConversationMetrics metrics) {
    metrics.completion("unclaimed");
    Events.warn(LOG, "flows.completion_unclaimed", correlation).addKeyValue("flow", turn.completedFlow().flowName())
        .addKeyValue("owner", turn.completedFlow().context(WhatsAppFlows.OWNER))
        .log("No conversation flow takes the completion of the {} flow", turn.completedFlow().flowName());
  }

}
