package io.wabot.whatsapp.inbound;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Everything one webhook POST carried, across all its entries and changes.
 *
 * @param messages    customer messages, each with the raw object the queue stores
 * @param statuses    reports on messages the bot sent
 * @param errors      account-level errors Meta reported
 * @param preferences marketing opt-outs and opt-ins
 * @param skipped     how many message or status objects were malformed and left out
 */
public record WebhookPayload(
    List<Received> messages, List<StatusUpdate> statuses, List<WebhookError> errors, List<UserPreference> preferences,
    int skipped) {

  /**
   * One customer message: the parsed form, and what the queue stores to parse it again on the worker
   * ({@link #toJobData()}), so new fields Meta adds are kept even before this code knows them.
   */
  public record Received(InboundMessage message, JsonObject raw, String profileName, String phoneNumberId) {

    public JsonObject toJobData() {
      return new JsonObject().put("message", raw).put("profileName", profileName).put("phoneNumberId", phoneNumberId);
    }
  }

  public WebhookPayload {
    messages = List.copyOf(messages);
    statuses = List.copyOf(statuses);
    errors = List.copyOf(errors);
    preferences = List.copyOf(preferences);
  }
}
