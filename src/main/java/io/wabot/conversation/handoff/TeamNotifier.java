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
import io.wabot.conversation.RecentMedia;
import io.wabot.conversation.ServedNumber;
import io.wabot.customer.CustomerIdentity;
import io.wabot.media.MediaKind;
import io.wabot.media.ReceivedMedia;
import io.wabot.media.SignedMediaUrls;
import io.wabot.observability.Correlation;
import io.wabot.queue.Commit;
import io.wabot.queue.NewJob;
import io.wabot.queue.Queues;
import io.wabot.whatsapp.inbound.InboundMessage;
import io.wabot.whatsapp.outbound.Button;
import io.wabot.whatsapp.outbound.ButtonsMessage;
import io.wabot.whatsapp.outbound.StoredMediaMessage;
import io.wabot.whatsapp.outbound.OutboundJobs;
import io.wabot.whatsapp.outbound.OutboundMessage;
import io.wabot.whatsapp.outbound.TextMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Tells the sales team about hand-offs, as effects of the turn that caused them: an event for the
 * team's webhook (a {@code notify} job, delivered with retries by {@link EscalationWebhook}) and/or a
 * WhatsApp message to the agent number (an outbound job). Either channel is optional.
 *
 * <p>Events: {@code handoff.requested} (with the conversation's context: who, why, which item, the
 * customer's last messages), {@code handoff.message} (the customer wrote while a person has the
 * conversation) and {@code handoff.ended} (handed back: by an admin, by the agent, on timeout, or by the customer).
 * They carry the customer's ids (conversation key, phone number when shared, BSUID, username): they go
 * to the team's system, never to a log. When the phone number is hidden the team sees the customer's
 * username or profile name instead.
 *
 * <p>On the agent number the requests and the customer's messages come with two reply buttons,
 * <em>Answer</em> and <em>Hand back to bot</em> ({@link AgentActions}): the agent's WhatsApp is a seat
 * from which they answer through the business number ({@link AgentSeat}). The notes the seat sends the
 * agent (whom they are answering, why something was not sent) are built here too, in the team's language.
 */
public final class TeamNotifier {

  /** Characters of each recent message in a request to the agent. */
  static final int RECENT_LINE = 120;

  private final ConversationConfig.Escalation config;
  private final Texts agentTexts;
  /** Built once: a formatter from a pattern is parsed and assembled anew on every ofPattern call. */
  private final DateTimeFormatter readableTime;
  private final SignedMediaUrls links;
  /** Events go to the notify queue: for the webhook, or for the bot's own channel. */
  private final boolean queueEvents;
  private final Clock clock;
  private final ServedNumber number;

  public TeamNotifier(ConversationConfig.Escalation config, Texts agentTexts) {
    this(config, agentTexts, null, false, Clock.systemUTC());
  }

  public TeamNotifier(ConversationConfig.Escalation config, Texts agentTexts, SignedMediaUrls links, boolean ownChannel,
      Clock clock) {
    this(config, agentTexts, links, ownChannel, clock, ServedNumber.UNNAMED);
  }

  /**
   * @param links      signs the links to the customer's stored files in events and notes; null: no links
   * @param ownChannel the bot delivers the events itself ({@code Bot.handoffChannel}), in place of the webhook
   * @param clock      the engine's: when each event happened ({@code at})
   * @param number     the business number of the conversations: named in the events, and in the agent's messages
   *                   when the deployment serves several; the agent's messages go out from it
   */
  public TeamNotifier(ConversationConfig.Escalation config, Texts agentTexts, SignedMediaUrls links, boolean ownChannel,
      Clock clock, ServedNumber number) {
    this.number = number;
    this.clock = clock;
    this.config = config;
    this.agentTexts = agentTexts;
    this.readableTime = DateTimeFormatter.ofPattern("EEE d MMM, HH:mm 'UTC'",
        Locale.forLanguageTag(agentTexts.locale().replace('_', '-'))).withZone(ZoneOffset.UTC);
    this.links = links;
    this.queueEvents = ownChannel || config.webhookUrl() != null;
  }

  public boolean notifiesAnyone() {
    return queueEvents || config.notifiesAnyone();
  }

  public Commit requested(String jobId, ConversationState state, CustomerIdentity customer, Handoff handoff,
      Escalation escalation, JsonObject flowContext, Correlation correlation) {
    JsonObject context = flowContext.copy().mergeIn(escalation.details());
    JsonArray media = withLinks(RecentMedia.of(state));
    JsonObject event = event("handoff.requested", state, customer, handoff, correlation)
        .put("reason", escalation.reason())
        .put("context", context)
        .put("media", media)
        .put("recentMessages", new JsonArray(state.recent().stream().map(t -> (Object) t).toList()))
        .put("handback", new JsonObject().put("method", "POST")
            .put("path", "/admin/conversations/" + customer.key() + "/handback"))
        .put("reply", new JsonObject().put("method", "POST")
            .put("path", "/admin/conversations/" + customer.key() + "/reply"));
    String item = escalation.subject() == null ? "" : agentTexts.get("agent.item", Texts.params("item", escalation.subject()));
    String reply = agentTexts.get(customer.phoneHidden() ? "agent.reply.hidden" : "agent.reply.phone");
    String text = agentTexts.get("agent.requested", Texts.params("name", displayName(state, customer),
        "contact", contact(customer), "reason", reasonLabel(escalation.reason()), "item", item, "recent", recentLines(state),
        "reply", reply, "until", readableTime(handoff.until())));
    return emit(jobId, customer, event, text, seatButtons(customer, handoff), correlation).and(forward(jobId, media, correlation));
  }

  /**
   * @param media the file of a media message, stored or failed; null for other messages
   */
  public Commit customerWrote(String jobId, ConversationState state, CustomerIdentity customer, InboundMessage message,
      ReceivedMedia media, Correlation correlation) {
    String text = describe(message);
    JsonObject written = new JsonObject().put("id", message.id()).put("type", message.type()).put("text", text);
    JsonArray files = media == null ? new JsonArray() : withLinks(new JsonArray().add(media.describe()));
    if (!files.isEmpty()) {
      written.put("media", files.getJsonObject(0));
    }
    JsonObject event = event("handoff.message", state, customer, state.handoff(), correlation).put("message", written);
    String agentText = agentTexts.get("agent.message", Texts.params("name", displayName(state, customer),
        "contact", contact(customer), "text", text));
    return emit(jobId, customer, event, agentText, seatButtons(customer, state.handoff()), correlation)
        .and(forward(jobId, files, correlation));
  }

  /** Each stored file with a signed, expiring {@code url}; a failed one stays as described (the team gets what exists). */
  private JsonArray withLinks(JsonArray media) {
    JsonArray linked = new JsonArray();
    for (int i = 0; i < media.size(); i++) {
      JsonObject item = media.getJsonObject(i).copy();
      if (links != null && item.getBoolean("stored", false) && item.getString("id") != null) {
        item.put("url", links.sign(item.getString("id")));
      }
      linked.add(item);
    }
    return linked;
  }

  /**
   * The files themselves to the agent's WhatsApp, after the note: each stored file as a media message that
   * the sender uploads from the store first ({@link StoredMediaMessage}). A file WhatsApp would not send
   * (a type it does not send for the kind, too large) stays a link in the webhook event.
   */
  private Commit forward(String jobId, JsonArray files, Correlation correlation) {
    Commit commit = Commit.none();
    if (config.agentNumber() == null) {
      return commit;
    }
    for (int i = 0; i < files.size(); i++) {
      JsonObject file = files.getJsonObject(i);
      MediaKind kind = MediaKind.fromWireName(file.getString("kind")).orElse(null);
      if (kind == null || !file.getBoolean("stored", false) || !kind.acceptsForSending(file.getString("mimeType"))
          || file.getLong("size", Long.MAX_VALUE) > kind.maxBytes()) {
        continue;
      }
      String caption = kind.captioned() && file.getString("caption") != null
          ? Fit.to(file.getString("caption"), Limits.MEDIA_CAPTION) : null;
      StoredMediaMessage message = new StoredMediaMessage(config.agentNumber(), kind.wireName(), file.getString("id"), caption,
          kind == MediaKind.DOCUMENT ? file.getString("filename") : null);
      commit = commit.enqueue(Queues.OUTBOUND, OutboundJobs.teamMessage(jobId + ":agent:m" + i, message, correlation,
          agentTexts.locale(), number.id()));
    }
    return commit;
  }

  /**
   * @param why {@code admin}, {@code agent} (tapped <em>Hand back to bot</em>), {@code timeout}, {@code customer} (asked
   *            for the menu) or {@code unsubscribed}
   */
  public Commit ended(String jobId, ConversationState state, CustomerIdentity customer, Handoff handoff, String why,
      Correlation correlation) {
    JsonObject event = event("handoff.ended", state, customer, handoff, correlation).put("endedBy", why);
    String text = agentTexts.get("agent.ended", Texts.params("name", displayName(state, customer),
        "contact", contact(customer),
        "why", agentTexts.catalog().has("agent.ended_by." + why) ? agentTexts.get("agent.ended_by." + why) : why));
    // Ids of their own: the same turn may end an expired hand-off and ask for a person again (the customer wrote
    // before the timer's hand-back ran), and the queue would drop the request's event and note as duplicates.
    return emit(jobId + ":ended", customer, event, text, List.of(), correlation);
  }

  /**
   * A note to the agent's WhatsApp from the seat ({@code agent.*} copy with the customer's {@code {name}}
   * and {@code {contact}}), quoting the agent's message it answers; nothing without an agent number.
   *
   * @param state    the customer's conversation, or null (a note about no customer in particular)
   * @param customer the customer it is about, or null
   * @param handback with a <em>Hand back to bot</em> button for the customer
   * @param replyTo  the agent's message this answers, or null
   */
  public Commit noteToAgent(String jobId, String textKey, ConversationState state, CustomerIdentity customer,
      boolean handback, String replyTo, Correlation correlation) {
    if (config.agentNumber() == null) {
      return Commit.none();
    }
    String text = customer == null ? agentTexts.get(textKey)
        : agentTexts.get(textKey, Texts.params("name", displayName(state, customer), "contact", contact(customer)));
    List<Button> buttons = handback && customer != null ? List.of(handbackButton(customer)) : List.of();
    return Commit.none().enqueue(Queues.OUTBOUND, OutboundJobs.teamMessage(jobId + ":agent",
        toAgent(text, buttons, replyTo), correlation, agentTexts.locale(), number.id()));
  }

  /** The business number these conversations run on: what the seat's and the agent replies' jobs carry. */
  public ServedNumber number() {
    return number;
  }

  /** The team's language, in which the agent's notes are written. */
  public String locale() {
    return agentTexts.locale();
  }

  /** The agent's number, which the seat answers instead of the customer flow; null when there is none. */
  public String agentNumber() {
    return config.agentNumber();
  }

  private List<Button> seatButtons(CustomerIdentity customer, Handoff handoff) {
    return handoff == null ? List.of() : List.of(new Button(AgentActions.answerId(customer.key()),
        agentTexts.get("agent.button.answer")), handbackButton(customer));
  }

  private Button handbackButton(CustomerIdentity customer) {
    return new Button(AgentActions.handbackId(customer.key()), agentTexts.get("agent.button.handback"));
  }

  /**
   * With the buttons when the text fits an interactive body; a longer one (a customer's long message)
   * goes as text, up to WhatsApp's limit, and the buttons of the agent's earlier notifications still work.
   */
  private OutboundMessage toAgent(String words, List<Button> buttons, String replyTo) {
    // With several numbers, one agent may serve them all: say which line the customer wrote to.
    String text = number.oneOfSeveral() ? "[" + number.label() + "] " + words : words;
    if (!buttons.isEmpty() && text.strip().codePointCount(0, text.strip().length()) <= Limits.INTERACTIVE_BODY) {
      return new ButtonsMessage(config.agentNumber(), text.strip(), buttons);
    }
    return new TextMessage(config.agentNumber(), Fit.to(text, Limits.TEXT_BODY), false, replyTo);
  }

  /**
   * The customer in an event: {@code key} (what the hand-back path and your own records use),
   * {@code waId} (the phone number, null when hidden), {@code userId} (BSUID), {@code parentUserId},
   * {@code username}, {@code name} (profile name) and {@code locale}.
   */
  private JsonObject event(String type, ConversationState state, CustomerIdentity customer, Handoff handoff,
      Correlation correlation) {
    JsonObject event = new JsonObject().put("event", type).put("at", clock.instant().toString())
        .put("correlationId", correlation.id())
        .put("customer", new JsonObject().put("key", customer.key()).put("waId", customer.phone())
            .put("userId", customer.bsuid()).put("parentUserId", customer.parentBsuid()).put("username", customer.username())
            .put("phoneHidden", customer.phoneHidden()).put("name", state.profileName()).put("locale", state.locale()));
    if (number.id() != null) {
      event.put("number", number.toJson()); // the business number the customer wrote to
    }
    if (state.referral() != null) {
      event.put("referral", state.referral().toJson()); // the ad the customer came from, for the team's attribution
    }
    if (handoff != null) {
      event.put("escalationId", handoff.escalationId()).put("handoffSince", handoff.since().toString())
          .put("handoffUntil", handoff.until().toString());
    }
    return event;
  }

  private Commit emit(String jobId, CustomerIdentity customer, JsonObject event, String agentText, List<Button> buttons,
      Correlation correlation) {
    Commit commit = Commit.none();
    if (queueEvents) {
      commit = commit.enqueue(Queues.NOTIFY, NewJob.of(jobId + ":notify", customer.key(), correlation,
          new JsonObject().put("event", event)));
    }
    if (config.agentNumber() != null) {
      // The customer's own words are inside: fit them to WhatsApp's limits rather than fail the turn.
      commit = commit.enqueue(Queues.OUTBOUND, OutboundJobs.teamMessage(jobId + ":agent", toAgent(agentText, buttons, null),
          correlation, agentTexts.locale(), number.id()));
    }
    return commit;
  }

  /** A deadline as a person reads it, in the team's language: "Wed 2 Dec, 14:05 UTC" (the event keeps ISO-8601). */
  private String readableTime(Instant at) {
    return readableTime.format(at);
  }

  private String reasonLabel(String reason) {
    String key = "agent.reason." + reason;
    return agentTexts.catalog().has(key) ? agentTexts.get(key) : reason;
  }

  /** The profile name, else the username, else the phone number. */
  private String displayName(ConversationState state, CustomerIdentity customer) {
    if (state != null && state.profileName() != null && !state.profileName().isBlank()) {
      return state.profileName();
    }
    return customer.username() != null ? customer.username() : contact(customer);
  }

  /** How the team can tell who it is: {@code +16505551234}, {@code @sheena, number hidden}, or {@code number hidden}. */
  private String contact(CustomerIdentity customer) {
    if (!customer.phoneHidden()) {
      return "+" + customer.phone();
    }
    return customer.username() == null ? agentTexts.get("agent.contact.hidden")
        : agentTexts.get("agent.contact.hidden.named", Texts.params("username", customer.username()));
  }

  /**
   * Each of the customer's last messages on a line, shortened: the request must fit a message with buttons
   * (the event has them whole).
   */
  private static String recentLines(ConversationState state) {
    StringBuilder lines = new StringBuilder();
    for (String text : state.recent()) {
      lines.append("› ").append(Fit.to(text.replace('\n', ' '), RECENT_LINE)).append('\n');
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
    if (message instanceof InboundMessage.FlowReply) {
      return "[form]"; // the answers are personal data; the hand-off a flow starts carries them to the team
    }
    if (message instanceof InboundMessage.Media m) {
      return "[" + m.kind() + (m.caption() == null ? "" : ": " + m.caption()) + "]";
    }
    return "[" + message.type() + "]";
  }
}
