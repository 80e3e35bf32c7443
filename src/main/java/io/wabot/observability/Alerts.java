package io.wabot.observability;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * The alert contract. A component that detects a condition publishes it on {@link #ADDRESS}; the
 * alerting verticle turns it into one error-level log event carrying {@code alert=<condition>} (the
 * field Better Stack alerts query), at most once per interval per condition, and into a
 * {@code resolved} event when the condition clears.
 *
 * <p>Body: {@code {"alert": "circuit_open", "resolved": false, "message": "...", ...details}}, with
 * {@code "number": "<label>"} when the condition is one business number's (each number's is its own).
 */
public final class Alerts {

  public static final String ADDRESS = "wabot.alerts";
  /** The field naming the business number (its label) a condition is about, when it is about one. */
  public static final String NUMBER = "number";

  public static final String CIRCUIT_OPEN = "circuit_open";
  public static final String GRAPH_ERROR_RATE = "graph_error_rate";
  public static final String GRAPH_AUTH = "graph_auth_failed";
  public static final String DEAD_LETTERS = "dead_letter_growth";
  public static final String QUEUE_LAG = "queue_lag";
  public static final String REDIS_UNAVAILABLE = "redis_unavailable";
  public static final String MEMORY = "rss_over_threshold";
  public static final String LOG_DROPS = "log_events_dropped";
  /** Better Stack refuses the logs for good (403 bad token, 402 quota, 406 unparsable): nothing arrives. */
  public static final String LOG_SHIPPING_REJECTED = "log_shipping_rejected";
  /** Meta refused a message to a customer known only by BSUID (131062): it needs a phone number, which the bot does not have. */
  public static final String BSUID_UNSUPPORTED = "bsuid_unsupported";
  /** Meta paused, disabled or rejected the window template (webhook {@code message_template_status_update}). */
  public static final String TEMPLATE_UNUSABLE = "template_unusable";
  /** Meta rated the window template's quality RED ({@code message_template_quality_update}). */
  public static final String TEMPLATE_QUALITY_LOW = "template_quality_low";
  /** The phone number was flagged or its messaging limit lowered ({@code phone_number_quality_update}). */
  public static final String PHONE_QUALITY_LOW = "phone_quality_low";
  /** The business account was banned or restricted ({@code account_update}). */
  public static final String ACCOUNT_RESTRICTED = "account_restricted";

  private Alerts() {
  }

  public static void fire(EventBus bus, String alert, String message, JsonObject details) {
    bus.publish(ADDRESS, body(alert, false, message, details));
  }

  public static void resolve(EventBus bus, String alert, String message) {
    bus.publish(ADDRESS, body(alert, true, message, null));
  }

  /**
   * A condition of one business number ({@code number}: its label): held and resolved apart from the same
   * condition on other numbers, so that one number's recovery does not clear another's alert.
   */
  public static void fire(EventBus bus, String alert, String number, String message, JsonObject details) {
    bus.publish(ADDRESS, body(alert, false, message, details).put(NUMBER, number));
  }

  /** Resolves {@link #fire(EventBus, String, String, String, JsonObject) a number's condition}. */
  public static void resolve(EventBus bus, String alert, String number, String message) {
    bus.publish(ADDRESS, body(alert, true, message, null).put(NUMBER, number));
  }

  private static JsonObject body(String alert, boolean resolved, String message, JsonObject details) {
    JsonObject body = details == null ? new JsonObject() : details.copy();
    return body.put("alert", alert).put("resolved", resolved).put("message", message);
  }
}
