package io.wabot.conversation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wabot.conversation.handoff.TeamNotifier;
import io.wabot.conversation.i18n.Texts;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import io.wabot.queue.Commit;
import io.wabot.queue.Queues;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting and ending hand-offs to a person, as parts of a turn: the acknowledgment, the quiet
 * period in the state, the team's notifications and the timer that hands the conversation back if
 * nobody does.
 */
final class Handoffs {

  private static final Logger LOG = LoggerFactory.getLogger(Handoffs.class);
  static final String OFFERED_PERSON = "core.offeredPerson";

  private final TeamNotifier team;
  private final Duration timeout;
  private final List<Flow> flows;
  private final ConversationMetrics metrics;
  /** The business number whose conversations these are: its timers name it. */
  private final String number;

  Handoffs(TeamNotifier team, Duration timeout, List<Flow> flows, ConversationMetrics metrics) {
    this.team = team;
    this.number = team.number().id();
    this.metrics = metrics;
    this.timeout = timeout;
    this.flows = flows;
  }

  Future<Void> begin(Turn turn, Escalation escalation, String jobId, Correlation correlation) {
    ConversationState state = turn.state();
    Handoff handoff = new Handoff(jobId, turn.now(), turn.now().plus(timeout), escalation.reason());
    Flow current = flows.stream().filter(f -> f.name().equals(state.flow())).findFirst().orElse(null);
    Future<JsonObject> context = current == null ? Future.succeededFuture(new JsonObject())
        : current.describeForTeam(state).otherwise(e -> new JsonObject().put("error", "context unavailable: " + e.getMessage()));
    return context.map(flowContext -> {
      turn.forget(OFFERED_PERSON);
      turn.replaceState(turn.state().withHandoff(handoff).withMisunderstandings(0).withOptions(List.of()));
      turn.say(ackKey(turn.texts(), escalation.reason()),
          Texts.params("item", escalation.subject(), "name", Names.first(state.profileName())));
      turn.addEffects(team.requested(jobId, turn.state(), turn.customer(), handoff, escalation, flowContext, correlation));
      turn.addEffects(Commit.none().enqueue(Queues.INBOUND,
          ConversationJobs.handoffTimer(handoff, turn.customer().key(), correlation, number)));
      metrics.handoff(escalation.reason());
      Events.info(LOG, "handoff.requested", correlation).addKeyValue("reason", escalation.reason())
          .addKeyValue("until", handoff.until().toString()).addKeyValue("team_notified", team.notifiesAnyone())
          .log(team.notifiesAnyone() ? "Customer handed to a person" : "Customer handed to a person, but no escalation channel"
              + " is configured (ESCALATION_WEBHOOK_URL / AGENT_WHATSAPP_NUMBER): nobody was told");
      return null;
    });
  }

  /** {@link Handoff#reason()} of a conversation a person took over from the WhatsApp Business app. */
  static final String BUSINESS_APP = "business_app";

  /**
   * A person answered the customer from the WhatsApp Business app on the bot's number: the conversation is
   * theirs until the hand-off timeout, as if an agent took it, with no acknowledgment (the person already
   * spoke) and no request to the team (it already has the conversation). A conversation some agent has
   * already is left as it is; another echo within an app hand-off starts its timeout again.
   *
   * @return the commit, or null when the conversation is with someone already
   */
  Commit takenInApp(ConversationState state, String customerKey, String jobId, Instant now, Correlation correlation,
      BiFunction<Commit, ConversationState, Commit> save) {
    Handoff current = state.handoff();
    if (current != null && current.activeAt(now) && !BUSINESS_APP.equals(current.reason())) {
      Events.info(LOG, "handoff.app_reply", correlation).addKeyValue("reason", current.reason())
          .log("Someone answered from the WhatsApp Business app during a hand-off already in progress");
      return null;
    }
    Handoff handoff = new Handoff(jobId, now, now.plus(timeout), BUSINESS_APP);
    Commit commit = save.apply(Commit.none(), state.withHandoff(handoff).withMisunderstandings(0).withOptions(List.of()));
    if (current == null || !current.activeAt(now)) {
      metrics.handoff(BUSINESS_APP);
      Events.info(LOG, "handoff.taken_in_app", correlation).addKeyValue("until", handoff.until().toString())
          .log("A person answered from the WhatsApp Business app: the conversation is theirs, the bot stays quiet");
    }
    return commit.enqueue(Queues.INBOUND, ConversationJobs.handoffTimer(handoff, customerKey, correlation, number));
  }

  private static String ackKey(Texts texts, String reason) {
    String specific = "escalation.ack." + reason;
    return texts.catalog().has(specific) ? specific : "escalation.ack";
  }

  /** The customer wrote while a person has the conversation: the team gets it, the bot stays quiet. */
  void forward(Turn turn, String jobId, Correlation correlation) {
    turn.addEffects(team.customerWrote(jobId, turn.state(), turn.customer(), turn.message(),
        turn.media().orElse(null), correlation));
    turn.receipt(Turn.Receipt.READ);
    Events.info(LOG, "handoff.forwarded", correlation).log("Customer wrote during a hand-off; forwarded to the team, bot quiet");
  }

  /**
   * Ends the hand-off in progress; {@code why} is {@code admin}, {@code agent}, {@code timeout}, {@code customer} or
   * {@code unsubscribed}.
   */
  void end(Turn turn, String jobId, String why, Correlation correlation) {
    Handoff handoff = turn.state().handoff();
    if (handoff == null) {
      return;
    }
    turn.replaceState(turn.state().withHandoff(null));
    turn.addEffects(team.ended(jobId, turn.state(), turn.customer(), handoff, why, correlation));
    Events.info(LOG, "handoff.ended", correlation).addKeyValue("ended_by", why)
        .addKeyValue("escalation_id", handoff.escalationId()).log("Conversation handed back to the bot ({})", why);
  }
}
