package io.wabot.sandbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wabot.config.NumberConfig;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Plays Meta's account-level webhooks on demand, for the sandbox page's "Meta events" buttons and
 * {@code POST /sandbox/api/simulate}: the window template paused and approved again
 * ({@code message_template_status_update}), its quality RED and back ({@code message_template_quality_update}),
 * the account banned and reinstated ({@code account_update}), the phone number's quality
 * dropping to RED and recovering ({@code phone_number_quality_update}: Meta reports a RED number as
 * {@code FLAGGED}, a recovered one as {@code UNFLAGGED}). The payloads are signed and POSTed to the bot's
 * own {@code /webhook}, so they raise and resolve the real alerts. Each is about the business number the
 * page shows (its window template; signed by its app).
 */
final class AccountSimulator {

  /** The page's event names → what Meta would send. */
  static final Map<String, String> EVENTS = Map.of(
      "pause_template", "the window template paused", "approve_template", "the window template approved again",
      "template_quality_red", "the window template's quality RED", "template_quality_green", "its quality GREEN again",
      "phone_red", "the phone number's quality dropped to RED", "phone_green", "the phone number's quality back to GREEN",
      "account_banned", "the business account banned", "account_reinstated", "the business account reinstated");

  private final CustomerSimulator customers;

  AccountSimulator(CustomerSimulator customers) {
    this.customers = customers;
  }

  /** POSTs the webhook of a page event about {@code business}; the future holds the webhook's HTTP status. */
  Future<Integer> emit(NumberConfig business, String event) {
    return switch (event) {
      case "pause_template" -> templateStatus(business, "PAUSED", "Your template has been paused due to low quality (sandbox)");
      case "approve_template" -> templateStatus(business, "APPROVED", "NONE");
      case "template_quality_red" -> templateQuality(business, "GREEN", "RED");
      case "template_quality_green" -> templateQuality(business, "RED", "GREEN");
      case "account_banned" -> ban(business, "DISABLE");
      case "account_reinstated" -> ban(business, "REINSTATE");
      case "phone_red" -> phoneQuality(business, "FLAGGED");
      case "phone_green" -> phoneQuality(business, "UNFLAGGED");
      default -> throw new IllegalArgumentException("unknown event \"" + event + "\"; use one of " + EVENTS.keySet());
    };
  }

  private Future<Integer> templateStatus(NumberConfig business, String status, String reason) {
    return customers.accountChange(business, "message_template_status_update", windowTemplate(business).put("event", status)
        .put("reason", reason).put("message_template_category", "UTILITY"));
  }

  private Future<Integer> templateQuality(NumberConfig business, String previous, String score) {
    return customers.accountChange(business, "message_template_quality_update", windowTemplate(business)
        .put("previous_quality_score", previous).put("new_quality_score", score));
  }

  /** The number's window template as Meta names it in template webhooks: id, name and language. */
  private static JsonObject windowTemplate(NumberConfig business) {
    String template = business.conversation().windowTemplate().name();
    if (template == null) {
      throw new IllegalArgumentException("no window template is configured: set WINDOW_TEMPLATE_NAME to see its alerts");
    }
    String language = business.conversation().windowTemplate().languages().values().stream().findFirst().orElse("en_US");
    return new JsonObject().put("message_template_id", 1_000_000_000_000_001L).put("message_template_name", template)
        .put("message_template_language", language);
  }

  private Future<Integer> ban(NumberConfig business, String state) {
    return customers.accountChange(business, "account_update", new JsonObject().put("phone_number", CustomerSimulator.DISPLAY_NUMBER)
        .put("event", "DISABLED_UPDATE").put("ban_info", new JsonObject().put("waba_ban_state", state)
            .put("waba_ban_date", LocalDate.now(ZoneOffset.UTC).toString())));
  }

  private Future<Integer> phoneQuality(NumberConfig business, String event) {
    return customers.accountChange(business, "phone_number_quality_update", new JsonObject()
        .put("display_phone_number", CustomerSimulator.DISPLAY_NUMBER).put("event", event).put("current_limit", "TIER_1K"));
  }
}
