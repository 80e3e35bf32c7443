package io.wabot.conversation.handoff;

import io.wabot.conversation.Fit;
import io.wabot.whatsapp.outbound.Limits;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.config.ConversationConfig;
import io.wabot.conversation.ConversationState;
import io.wabot.conversation.Escalation;
import io.wabot.conversation.Handoff;
import io.wabot.conversation.i18n.Texts;
import io.wabot.observability.Correlation;
import io.wabot.queue.Commit;
import io.wabot.queue.NewJob;
import io.wabot.queue.Queues;
import io.wabot.whatsapp.inbound.InboundMessage;
import io.wabot.whatsapp.outbound.OutboundJobs;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Tells the sales team about hand-offs, as effects of the turn that caused them: an event for the
 * team's webhook (a {@code notify} job, delivered with retries by {@link EscalationWebhook}) and/or a
 * WhatsApp message to the agent number (an outbound job). Either channel is optional.
 *
 * <p>Events: {@code handoff.requested} (with the conversation's context: who, why, which item, the
 * customer's last messages), {@code handoff.message} (the customer wrote while a person has the
 * conversation) and {@code handoff.ended} (handed back: by an admin, on timeout, or by the customer).
 * They carry the customer's real number: they go to the team's system, never to a log.
 */
public final class TeamNotifier {

  private final ConversationConfig.Escalation config;
  private final Texts agentTexts;

  public TeamNotifier(ConversationConfig.Escalation config, Texts agentTexts) {
    this.config = config;
    this.agentTexts = agentTexts;
  }

  public boolean notifiesAnyone() {
    return config.notifiesAnyone();
  }

  public Commit requested(String jobId, ConversationState state, Handoff handoff, Escalation escalation,
      JsonObject flowContext, Correlation correlation) {
    JsonObject context = flowContext.copy().mergeIn(escalation.details());
    JsonObject event = event("handoff.requested", state, handoff, correlation)
        .put("reason", escalation.reason())
        .put("context", context)
        .put("recentMessages", new JsonArray(state.recent().stream().map(t -> (Object) t).toList()))
        .put("handback", new JsonObject().put("method", "POST").put("path", "/admin/conversations/" + state.customer() + "/handback"));
    String item = escalation.subject() == null ? "" : agentTexts.get("agent.item", Texts.params("item", escalation.subject()));
    String text = agentTexts.get("agent.requested", Texts.params("name", displayName(state), "wa_id", state.customer(),
        "reason", reasonLabel(escalation.reason()), "item", item, "recent", recentLines(state),
        "until", readableTime(handoff.until())));
    return emit(jobId, state.customer(), event, text, correlation);
  }

  public Commit customerWrote(String jobId, ConversationState state, InboundMessage message, Correlation correlation) {
    String text = describe(message);
    JsonObject event = event("handoff.message", state, state.handoff(), correlation)
        .put("message", new JsonObject().put("id", message.id()).put("type", message.type()).put("text", text));
    String agentText = agentTexts.get("agent.message", Texts.params("name", displayName(state), "wa_id", state.customer(),
        "text", text));
    return emit(jobId, state.customer(), event, agentText, correlation);
  }

  /** @param why {@code admin}, {@code timeout}, {@code customer} (asked for the menu) or {@code unsubscribed} */
  public Commit ended(String jobId, ConversationState state, Handoff handoff, String why, Correlation correlation) {
    JsonObject event = event("handoff.ended", state, handoff, correlation).put("endedBy", why);
    String text = agentTexts.get("agent.ended", Texts.params("name", displayName(state), "wa_id", state.customer(),
        "why", agentTexts.catalog().has("agent.ended_by." + why) ? agentTexts.get("agent.ended_by." + why) : why));
    return emit(jobId, state.customer(), event, text, correlation);
  }

  private JsonObject event(String type, ConversationState state, Handoff handoff, Correlation correlation) {
    JsonObject event = new JsonObject().put("event", type).put("at", Instant.now().toString())
        .put("correlationId", correlation.id())
        .put("customer", new JsonObject().put("waId", state.customer()).put("name", state.profileName())
            .put("locale", state.locale()));
    if (handoff != null) {
      event.put("escalationId", handoff.escalationId()).put("handoffSince", handoff.since().toString())
          .put("handoffUntil", handoff.until().toString());
    }
    return event;
  }

  private Commit emit(String jobId, String waId, JsonObject event, String agentText, Correlation correlation) {
    Commit commit = Commit.none();
    if (config.webhookUrl() != null) {
      commit = commit.enqueue(Queues.NOTIFY, NewJob.of(jobId + ":notify", waId, correlation, new JsonObject().put("event", event)));
    }
    if (config.agentNumber() != null) {
      // The customer's own words are inside: fit them to WhatsApp's limit rather than fail the turn.
      OutboundMessage message = OutboundMessage.text(config.agentNumber(), Fit.to(agentText, Limits.TEXT_BODY));
      commit = commit.enqueue(Queues.OUTBOUND, OutboundJobs.teamMessage(jobId + ":agent", message, correlation,
          agentTexts.locale()));
    }
    return commit;
  }

  /** A deadline as a person reads it, in the team's language: "Wed 2 Dec, 14:05 UTC" (the event keeps ISO-8601). */
  private String readableTime(Instant at) {
    Locale locale = Locale.forLanguageTag(agentTexts.locale().replace('_', '-'));
    return DateTimeFormatter.ofPattern("EEE d MMM, HH:mm 'UTC'", locale).withZone(ZoneOffset.UTC).format(at);
  }

  private String reasonLabel(String reason) {
    String key = "agent.reason." + reason;
    return agentTexts.catalog().has(key) ? agentTexts.get(key) : reason;
  }

  private static String displayName(ConversationState state) {
    return state.profileName() == null || state.profileName().isBlank() ? "+" + state.customer() : state.profileName();
  }

  private static String recentLines(ConversationState state) {
    StringBuilder lines = new StringBuilder();
    for (String text : state.recent()) {
      lines.append("› ").append(text.replace('\n', ' ')).append('\n');
    }
    return lines.toString().stripTrailing();
  }

  /** The message in a few words, for the team and the recent-messages list: its text, or its type in brackets. */
  public static String describe(InboundMessage message) {
    if (message instanceof InboundMessage.Text t) {
      return t.body();
    }
    if (message instanceof InboundMessage.ButtonReply b) {
      return b.title();
    }
    if (message instanceof InboundMessage.ListReply l) {
      return l.title();
    }
    if (message instanceof InboundMessage.QuickReply q) {
      return q.text();
    }
    if (message instanceof InboundMessage.Media m) {
      return "[" + m.kind() + (m.caption() == null ? "" : ": " + m.caption()) + "]";
    }
    return "[" + message.type() + "]";
  }
}
