package io.wabot.conversation.consent;

/**
 * Event-bus addresses on which other components report consent changes they learn about. Both are
 * published (every node hears them) and handled idempotently.
 */
public final class ConsentEvents {

  /**
   * The sender saw error 131050 (the customer stopped marketing messages). Body:
   * {@code {"wa_id": "16505551234", "reason": "..."}}.
   */
  public static final String OPT_OUT = "wabot.consent.optout";

  /**
   * The webhook received Meta's {@code user_preferences} change. Body: {@code {"wa_id", "category",
   * "value": "stop"|"resume", "detail", "timestamp"}} (timestamp in epoch seconds).
   */
  public static final String PREFERENCE = io.wabot.webhook.WebhookRoutes.PREFERENCES_ADDRESS;

  private ConsentEvents() {
  }
}
