package io.wabot.conversation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.whatsapp.inbound.Referral;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one customer's conversation stands, kept in Redis as JSON under {@code state:<key>} with a
 * time to live renewed by every message (the spec's ConversationState).
 *
 * @param customer          the customer's conversation key ({@code CustomerIdentity#key()})
 * @param profileName       the name on their WhatsApp profile, or null
 * @param lastInteraction   when they last wrote
 * @param locale            the locale the bot speaks to them in
 * @param localeChosen      whether they picked it (otherwise it came from their number or BSUID country)
 * @param flow              the flow in charge, or null at the start
 * @param step              the flow's step, e.g. {@code items} or {@code awaiting_search}
 * @param context           the flow's notes: selected item, category, search, page, pending action
 * @param options           the choices of the last list or buttons sent, so "2" or a typed title works
 * @param misunderstandings messages in a row the bot did not understand
 * @param handoff           the hand-off to a person in progress, or null
 * @param recent            the customer's last few texts, for the person who takes over
 * @param referral          the click-to-WhatsApp ad or post the customer last came from, or null: kept for
 *                          the team's hand-off events and for flows that greet ad visitors differently
 */
public record ConversationState(
    String customer,
    String profileName,
    Instant lastInteraction,
    String locale,
    boolean localeChosen,
    String flow,
    String step,
    Map<String, String> context,
    List<Choice> options,
    int misunderstandings,
    Handoff handoff,
    List<String> recent,
    Referral referral) {

  static final int RECENT_MESSAGES = 5;
  static final int RECENT_MESSAGE_CHARS = 300;
  private static final int FORMAT = 1;

  public ConversationState {
    context = Map.copyOf(context);
    options = List.copyOf(options);
    recent = List.copyOf(recent);
  }

  /** A conversation that starts now. */
  public static ConversationState start(String customer, String profileName, String locale, Instant now) {
    return new ConversationState(customer, profileName, now, locale, false, null, null, Map.of(), List.of(), 0, null, List.of(), null);
  }

  public boolean handedOffAt(Instant now) {
    return handoff != null && handoff.activeAt(now);
  }

  public String context(String key) {
    return context.get(key);
  }

  /** The same state under another conversation key (an operator merged two customers). */
  public ConversationState withCustomer(String key) {
    return new ConversationState(key, profileName, lastInteraction, locale, localeChosen, flow, step, context,
        options, misunderstandings, handoff, recent, referral);
  }

  public ConversationState at(String newFlow, String newStep) {
    return new ConversationState(customer, profileName, lastInteraction, locale, localeChosen, newFlow, newStep, context,
        options, misunderstandings, handoff, recent, referral);
  }

  public ConversationState withContext(Map<String, String> newContext) {
    return new ConversationState(customer, profileName, lastInteraction, locale, localeChosen, flow, step, newContext,
        options, misunderstandings, handoff, recent, referral);
  }

  public ConversationState withOptions(List<Choice> newOptions) {
    return new ConversationState(customer, profileName, lastInteraction, locale, localeChosen, flow, step, context,
        newOptions, misunderstandings, handoff, recent, referral);
  }

  public ConversationState withMisunderstandings(int count) {
    return new ConversationState(customer, profileName, lastInteraction, locale, localeChosen, flow, step, context,
        options, count, handoff, recent, referral);
  }

  public ConversationState withHandoff(Handoff newHandoff) {
    return new ConversationState(customer, profileName, lastInteraction, locale, localeChosen, flow, step, context,
        options, misunderstandings, newHandoff, recent, referral);
  }

  public ConversationState withLocale(String newLocale, boolean chosen) {
    return new ConversationState(customer, profileName, lastInteraction, newLocale, chosen, flow, step, context,
        options, misunderstandings, handoff, recent, referral);
  }

  /** The same state, remembering the ad or post the customer came from. */
  public ConversationState withReferral(Referral newReferral) {
    return new ConversationState(customer, profileName, lastInteraction, locale, localeChosen, flow, step, context,
        options, misunderstandings, handoff, recent, newReferral);
  }

  /** Records a new message from the customer: time, profile name, and its text among the recent ones. */
  public ConversationState received(Instant now, String newProfileName, String text) {
    List<String> newRecent = recent;
    if (text != null && !text.isBlank()) {
      List<String> list = new ArrayList<>(recent);
      String trimmed = text.strip();
      list.add(trimmed.length() > RECENT_MESSAGE_CHARS ? trimmed.substring(0, RECENT_MESSAGE_CHARS) + "…" : trimmed);
      newRecent = list.subList(Math.max(0, list.size() - RECENT_MESSAGES), list.size());
    }
    return new ConversationState(customer, newProfileName == null ? profileName : newProfileName, now, locale, localeChosen,
        flow, step, context, options, misunderstandings, handoff, newRecent, referral);
  }

  public JsonObject toJson() {
    JsonObject ctx = new JsonObject();
    context.forEach(ctx::put);
    JsonArray opts = new JsonArray();
    options.forEach(o -> opts.add(o.toJson()));
    JsonObject json = new JsonObject().put("v", FORMAT).put("customer", customer).put("profileName", profileName)
        .put("lastInteraction", lastInteraction.toString()).put("locale", locale).put("localeChosen", localeChosen)
        .put("flow", flow).put("step", step).put("context", ctx).put("options", opts)
        .put("misunderstandings", misunderstandings).put("handoff", handoff == null ? null : handoff.toJson())
        .put("recent", new JsonArray(new ArrayList<>(recent)));
    return referral == null ? json : json.put("referral", referral.toJson());
  }

  /** Parses stored state; throws {@link IllegalArgumentException} when it is not a state of this format. */
  public static ConversationState fromJson(JsonObject json) {
    try {
      Map<String, String> ctx = new LinkedHashMap<>();
      JsonObject rawContext = json.getJsonObject("context", new JsonObject());
      rawContext.forEach(e -> {
        if (e.getValue() != null) {
          ctx.put(e.getKey(), String.valueOf(e.getValue()));
        }
      });
      List<Choice> opts = new ArrayList<>();
      json.getJsonArray("options", new JsonArray()).forEach(o -> opts.add(Choice.fromJson((JsonObject) o)));
      List<String> recentTexts = new ArrayList<>();
      json.getJsonArray("recent", new JsonArray()).forEach(t -> recentTexts.add(String.valueOf(t)));
      return new ConversationState(json.getString("customer"), json.getString("profileName"),
          Instant.parse(json.getString("lastInteraction")), json.getString("locale"), json.getBoolean("localeChosen", false),
          json.getString("flow"), json.getString("step"), ctx, opts, json.getInteger("misunderstandings", 0),
          Handoff.fromJson(json.getJsonObject("handoff")), recentTexts, Referral.fromJson(json.getJsonObject("referral")));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a conversation state: " + e.getMessage(), e);
    }
  }
}
