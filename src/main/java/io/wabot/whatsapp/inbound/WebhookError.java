package io.wabot.whatsapp.inbound;

/** An error Meta reports in a webhook, for a failed message or at the account level. */
public record WebhookError(int code, String title, String message, String details) {
}
