package io.wabot.whatsapp.inbound;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.observability.Alerts;
import java.util.Locale;
import java.util.Set;

/**
 * A change to the business account that an operator must hear about, from the webhook fields
 * {@code message_template_status_update}, {@code message_template_quality_update},
 * {@code phone_number_quality_update} and {@code account_update}. Each either raises or clears one
 * <em>condition</em> (an alert name and a subject within it, such as a template and its language), or
 * only informs.
 *
 * @param field    the webhook field it came from
 * @param event    Meta's event or score ({@code PAUSED}, {@code RED}, {@code FLAGGED}, {@code DISABLED_UPDATE}...)
 * @param alert    the alert it raises or clears ({@link #TEMPLATE_UNUSABLE}...), or null when it only informs
 * @param subject  which condition within the alert: {@code <template>|<language>}, {@code quality},
 *                 {@code tier}, {@code ban} or {@code restriction}
 * @param raised   true when the condition now holds, false when it cleared (meaningless without an alert)
 * @param template the template's name, for template fields; null otherwise
 * @param details  what the operator should read in the alert (reason, limits, restrictions), never personal data
 */
public record AccountEvent(String field, String event, String alert, String subject, boolean raised, String template,
    JsonObject details) {

  public static final String TEMPLATE_UNUSABLE = Alerts.TEMPLATE_UNUSABLE;
  public static final String TEMPLATE_QUALITY_LOW = Alerts.TEMPLATE_QUALITY_LOW;
  public static final String PHONE_QUALITY_LOW = Alerts.PHONE_QUALITY_LOW;
  public static final String ACCOUNT_RESTRICTED = Alerts.ACCOUNT_RESTRICTED;

  public static final Set<String> FIELDS = Set.of("message_template_status_update", "message_template_quality_update",
      "phone_number_quality_update", "account_update");

  private static final Set<String> TEMPLATE_DOWN = Set.of("PAUSED", "DISABLED", "REJECTED");
  private static final Set<String> TEMPLATE_UP = Set.of("APPROVED", "REINSTATED");
  private static final Set<String> BANNED = Set.of("DISABLE", "SCHEDULE_FOR_DISABLE");

  public AccountEvent {
    details = details == null ? new JsonObject() : details.copy();
  }

  /** Whether it raises or clears a condition (rather than only informing). */
  public boolean changesCondition() {
    return alert != null;
  }

  /**
   * The event of one change of a field in {@link #FIELDS}; null when the value does not have the shape
   * Meta documents (no event, no template name), so that it is counted and ignored.
   */
  static AccountEvent parse(String field, JsonObject value) {
    return switch (field) {
      case "message_template_status_update" -> templateStatus(value);
      case "message_template_quality_update" -> templateQuality(value);
      case "phone_number_quality_update" -> phoneQuality(value);
      case "account_update" -> account(value);
      default -> null;
    };
  }

  private static AccountEvent templateStatus(JsonObject value) {
    String event = upper(value, "event");
    String name = Senders.text(value, "message_template_name");
    if (event == null || name == null) {
      return null;
    }
    JsonObject details = templateDetails(value, name).put("status", event).put("reason", Senders.text(value, "reason"));
    String subject = name + "|" + Senders.text(value, "message_template_language");
    if (TEMPLATE_DOWN.contains(event) || TEMPLATE_UP.contains(event)) {
      return new AccountEvent("message_template_status_update", event, TEMPLATE_UNUSABLE, subject,
          TEMPLATE_DOWN.contains(event), name, details);
    }
    return new AccountEvent("message_template_status_update", event, null, subject, false, name, details);
  }

  private static AccountEvent templateQuality(JsonObject value) {
    String score = upper(value, "new_quality_score");
    String name = Senders.text(value, "message_template_name");
    if (score == null || name == null) {
      return null;
    }
    JsonObject details = templateDetails(value, name).put("quality", score)
        .put("previous_quality", Senders.text(value, "previous_quality_score"));
    String subject = name + "|" + Senders.text(value, "message_template_language");
    boolean known = score.equals("RED") || score.equals("YELLOW") || score.equals("GREEN");
    return new AccountEvent("message_template_quality_update", score, known ? TEMPLATE_QUALITY_LOW : null, subject,
        score.equals("RED"), name, details);
  }

  private static JsonObject templateDetails(JsonObject value, String name) {
    return new JsonObject().put("template", name).put("language", Senders.text(value, "message_template_language"))
        .put("template_id", Senders.text(value, "message_template_id"));
  }

  /** FLAGGED: quality is low and the limit will drop; DOWNGRADE: it dropped. UNFLAGGED / UPGRADE clear them. */
  private static AccountEvent phoneQuality(JsonObject value) {
    String event = upper(value, "event");
    if (event == null) {
      return null;
    }
    JsonObject details = new JsonObject().put("quality_event", event)
        .put("current_limit", Senders.text(value, "current_limit")).put("old_limit", Senders.text(value, "old_limit"))
        .put("max_daily_conversations_per_business", Senders.text(value, "max_daily_conversations_per_business"));
    return switch (event) {
      case "FLAGGED", "UNFLAGGED" -> new AccountEvent("phone_number_quality_update", event, PHONE_QUALITY_LOW, "quality",
          event.equals("FLAGGED"), null, details);
      case "DOWNGRADE", "UPGRADE", "THROUGHPUT_UPGRADE" -> new AccountEvent("phone_number_quality_update", event,
          PHONE_QUALITY_LOW, "tier", event.equals("DOWNGRADE"), null, details);
      default -> new AccountEvent("phone_number_quality_update", event, null, "", false, null, details);
    };
  }

  /** A ban ({@code DISABLED_UPDATE} with {@code ban_info}) or restrictions ({@code ACCOUNT_RESTRICTION}); else information. */
  private static AccountEvent account(JsonObject value) {
    String event = upper(value, "event");
    if (event == null) {
      return null;
    }
    JsonObject details = new JsonObject().put("account_event", event);
    if (value.getValue("ban_info") instanceof JsonObject ban) {
      details.put("ban_state", Senders.text(ban, "waba_ban_state")).put("ban_date", Senders.text(ban, "waba_ban_date"));
    }
    if (value.getValue("violation_info") instanceof JsonObject violation) {
      details.put("violation_type", Senders.text(violation, "violation_type"));
    }
    Object restrictions = value.getValue("restriction_info");
    if (restrictions != null) {
      details.put("restrictions", restrictions.toString());
    }
    if (event.equals("DISABLED_UPDATE") && details.getString("ban_state") != null) {
      String state = details.getString("ban_state").toUpperCase(Locale.ROOT);
      boolean banned = BANNED.contains(state);
      return state.equals("REINSTATE") || banned
          ? new AccountEvent("account_update", event, ACCOUNT_RESTRICTED, "ban", banned, null, details)
          : new AccountEvent("account_update", event, null, "ban", false, null, details);
    }
    if (event.equals("ACCOUNT_RESTRICTION")) {
      boolean restricted = restrictions instanceof JsonArray a && !a.isEmpty();
      return new AccountEvent("account_update", event, ACCOUNT_RESTRICTED, "restriction", restricted, null, details);
    }
    return new AccountEvent("account_update", event, null, "", false, null, details);
  }

  private static String upper(JsonObject value, String key) {
    String text = Senders.text(value, key);
    return text == null || text.isBlank() ? null : text.trim().toUpperCase(Locale.ROOT);
  }
}
