package io.wabot.sandbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wabot.config.AppConfig;
import java.util.Map;

/**
 * Plays Meta's account-level webhooks on demand, for the sandbox page's "Meta events" buttons: the window
 * template paused and approved again ({@code message_template_status_update}), the phone number's quality
 * dropping to RED and recovering ({@code phone_number_quality_update}: Meta reports a RED number as
 * {@code FLAGGED}, a recovered one as {@code UNFLAGGED}). The payloads are signed and POSTed to the bot's
 * own {@code /webhook}, so they raise and resolve the real alerts.
 */
final class AccountSimulator {

  /** The page's event names → what Meta would send. */
  static final Map<String, String> EVENTS = Map.of(
      "pause_template", "the window template paused", "approve_template", "the window template approved again",
      "phone_red", "the phone number's quality dropped to RED", "phone_green", "the phone number's quality back to GREEN");

  private final AppConfig config;
  private final CustomerSimulator customers;

  AccountSimulator(AppConfig config, CustomerSimulator customers) {
    this.config = config;
    this.customers = customers;
  }

  /** POSTs the webhook of a page event; the future holds the webhook's HTTP status. */
  Future<Integer> emit(String event) {
    return switch (event) {
      case "pause_template" -> templateStatus("PAUSED", "Your template has been paused due to low quality (sandbox)");
      case "approve_template" -> templateStatus("APPROVED", "NONE");
      case "phone_red" -> phoneQuality("FLAGGED");
      case "phone_green" -> phoneQuality("UNFLAGGED");
      default -> throw new IllegalArgumentException("unknown event \"" + event + "\"; use one of " + EVENTS.keySet());
    };
  }

  private Future<Integer> templateStatus(String status, String reason) {
    String template = config.conversation().windowTemplate().name();
    if (template == null) {
      throw new IllegalArgumentException("no window template is configured: set WINDOW_TEMPLATE_NAME to see its alerts");
    }
    String language = config.conversation().windowTemplate().languages().values().stream().findFirst().orElse("en_US");
    return customers.accountChange("message_template_status_update", new JsonObject().put("event", status)
        .put("message_template_id", 1_000_000_000_000_001L).put("message_template_name", template)
        .put("message_template_language", language).put("reason", reason).put("message_template_category", "UTILITY"));
  }

  private Future<Integer> phoneQuality(String event) {
    return customers.accountChange("phone_number_quality_update", new JsonObject()
        .put("display_phone_number", CustomerSimulator.DISPLAY_NUMBER).put("event", event).put("current_limit", "TIER_1K"));
  }
}
