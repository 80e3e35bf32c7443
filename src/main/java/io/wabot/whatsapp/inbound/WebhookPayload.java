package io.wabot.whatsapp.inbound;

import io.vertx.core.json.JsonObject;
import io.wabot.customer.IdentityChange;
import java.util.List;

/**
 * Everything one webhook POST carried, across all its entries and changes.
 *
 * @param messages    customer messages, each with the raw object the queue stores
 * @param statuses    reports on messages the bot sent
 * @param errors      account-level errors Meta reported
 * @param preferences marketing opt-outs and opt-ins
 * @param skipped     message or status objects that cannot be processed, each with why and its raw form,
 *                    so that the webhook can keep them where an operator finds them while the rest of
 *                    the POST goes on
 * @param identityUpdates customers' new BSUIDs reported by the {@code user_id_update} webhook field (the
 *                    system messages that say the same arrive as {@link InboundMessage.IdentityChanged})
 * @param accountEvents template, phone number quality and account changes (alerts raised or cleared)
 * @param fields      the {@code field} of each change, or {@code other} for a field this code does not read
 */
public record WebhookPayload(
    List<Received> messages, List<StatusUpdate> statuses, List<WebhookError> errors, List<UserPreference> preferences,
    List<Skipped> skipped, List<IdentityChange> identityUpdates, List<AccountEvent> accountEvents, List<String> fields) {

  public WebhookPayload(List<Received> messages, List<StatusUpdate> statuses, List<WebhookError> errors,
      List<UserPreference> preferences, List<Skipped> skipped, List<IdentityChange> identityUpdates) {
    this(messages, statuses, errors, preferences, skipped, identityUpdates, List.of(), List.of());
  }

  /**
   * Whether a customer's message of this POST broke the parser ({@link WebhookParser#PARSE_FAILED}): its POST is
   * answered 500 once the rest is stored, so that Meta delivers it again (the rest is then refused as duplicates)
   * and a deployed fix reads it, rather than the message being lost.
   */
  public boolean messageUnread() {
    return skipped.stream().anyMatch(s -> "message".equals(s.kind()) && WebhookParser.PARSE_FAILED.equals(s.reason()));
  }

  /**
   * An object of the POST left out: a message or status that cannot become work.
   *
   * @param kind   {@code "message"}, {@code "status"}, {@code "echo"}, {@code "change"} (a change without a
   *               {@code value} object) or the webhook field of an account change that has not Meta's shape
   * @param reason a short, fixed reason in snake case (a metric label: never data from the payload):
   *               {@code no_id}; {@code no_identity} (no phone number and no BSUID at all);
   *               {@code invalid_sender} (sender fields present, none a valid phone number or BSUID);
   *               {@code unknown_status} (a status this code does not track); {@code bad_shape} (a change or
   *               account event missing what Meta always sends)
   * @param id     the object's id (wamid) when it has one, else null
   * @param raw    the object as Meta sent it, for the operator's view of rejected messages
   */
  public record Skipped(String kind, String reason, String id, JsonObject raw) {
  }

  /**
   * One customer message: the parsed form, and what the queue stores to parse it again on the worker
   * ({@link #toJobData()}), so new fields Meta adds are kept even before this code knows them.
   *
   * @param senderIssues malformed sender fields the parser ignored while it still found the customer, as
   *                     fixed snake_case reasons: {@code bsuid_in_from} (a BSUID where the phone number
   *                     belongs, used as the BSUID), {@code invalid_from}, {@code invalid_wa_id},
   *                     {@code invalid_user_id}, {@code invalid_parent_user_id}
   */
  public record Received(InboundMessage message, JsonObject raw, String profileName, String phoneNumberId,
      List<String> senderIssues) {

    public Received {
      senderIssues = senderIssues == null ? List.of() : List.copyOf(senderIssues);
    }

    public Received(InboundMessage message, JsonObject raw, String profileName, String phoneNumberId) {
      this(message, raw, profileName, phoneNumberId, List.of());
    }

    public JsonObject toJobData() {
      JsonObject data = new JsonObject().put("message", raw).put("profileName", profileName).put("phoneNumberId", phoneNumberId);
      return message instanceof InboundMessage.BusinessEcho ? data.put("echo", true) : data;
    }
  }

  public WebhookPayload {
    messages = List.copyOf(messages);
    statuses = List.copyOf(statuses);
    errors = List.copyOf(errors);
    preferences = List.copyOf(preferences);
    skipped = List.copyOf(skipped);
    identityUpdates = List.copyOf(identityUpdates);
    accountEvents = List.copyOf(accountEvents);
    fields = List.copyOf(fields);
  }
}
