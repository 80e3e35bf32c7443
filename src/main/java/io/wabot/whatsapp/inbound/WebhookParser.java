package io.wabot.whatsapp.inbound;

import static io.wabot.whatsapp.inbound.Senders.text;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.common.CustomerIds;
import io.wabot.customer.CustomerIdentity;
import io.wabot.customer.IdentityChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses a Cloud API webhook body: every entry, every change, every message, status and error, not
 * just {@code [0]}. Unknown fields are ignored; unknown message types become
 * {@link InboundMessage.Unsupported}; a message that cannot be attributed to a customer is skipped,
 * with its reason, rather than failing the messages beside it. A customer is named by a BSUID, a phone
 * number or both ({@link Senders}); neither is required on its own.
 */
public final class WebhookParser {

  private WebhookParser() {
  }

  public static WebhookPayload parse(JsonObject body) {
    JsonArray entries = entries(body);
    Parts parts = new Parts();
    for (JsonObject entry : objects(entries)) {
      for (JsonObject change : objects(entry.getValue("changes"))) {
        String field = change.getValue("field") instanceof String f ? f : "";
        parts.fields.add(KNOWN_FIELDS.contains(field) ? field : OTHER_FIELD);
        if (!(change.getValue("value") instanceof JsonObject value)) {
          parts.skipped.add(new WebhookPayload.Skipped("change", "bad_shape", null, change.copy()));
          continue;
        }
        // The net under the ones below: a change that breaks the parser in a way no check foresaw is skipped (kept
        // for an operator) rather than sinking the POST, whose other changes are handled and answered.
        try {
          switch (field) {
            case "messages" -> parseMessagesChange(value, parts);
            case "user_preferences" -> parsePreferences(value, parts);
            case "user_id_update" -> parseUserIdUpdates(value, parts);
            case "smb_message_echoes" -> parseEchoes(value, parts);
            default -> {
              if (AccountEvent.FIELDS.contains(field)) {
                parseAccountEvent(field, value, parts);
              } // other fields are counted (as "other") and not this bot's business
            }
          }
        } catch (RuntimeException e) {
          parts.skipped.add(new WebhookPayload.Skipped(KNOWN_FIELDS.contains(field) ? field : "change", PARSE_FAILED, null,
              change.copy()));
        }
      }
    }
    return new WebhookPayload(parts.messages, parts.statuses, parts.errors, parts.preferences, parts.skipped,
        parts.identityUpdates, parts.accountEvents, parts.fields);
  }

  /** The entries of a WhatsApp webhook body; refuses a body that is not one. */
  public static JsonArray entries(JsonObject body) {
    if (body == null || !"whatsapp_business_account".equals(body.getValue("object"))) {
      throw new InvalidPayloadException("\"object\" must be \"whatsapp_business_account\"");
    }
    if (!(body.getValue("entry") instanceof JsonArray entries)) {
      throw new InvalidPayloadException("\"entry\" must be an array");
    }
    return entries;
  }

  /** What the changes of one POST add up to. */
  private static final class Parts {
    final List<WebhookPayload.Received> messages = new ArrayList<>();
    final List<StatusUpdate> statuses = new ArrayList<>();
    final List<WebhookError> errors = new ArrayList<>();
    final List<UserPreference> preferences = new ArrayList<>();
    final List<WebhookPayload.Skipped> skipped = new ArrayList<>();
    final List<IdentityChange> identityUpdates = new ArrayList<>();
    final List<AccountEvent> accountEvents = new ArrayList<>();
    final List<String> fields = new ArrayList<>();
  }

  /** The webhook fields this code reads; any other is counted under {@link #OTHER_FIELD} (a bounded metric label). */
  public static final Set<String> KNOWN_FIELDS = Set.of("messages", "user_preferences", "user_id_update",
      "smb_message_echoes", "message_template_status_update", "message_template_quality_update",
      "phone_number_quality_update", "account_update");
  public static final String OTHER_FIELD = "other";
  /** The skip reason of an object the parser failed on in a way no check foresaw. */
  public static final String PARSE_FAILED = "parse_failed";

  private static void parseAccountEvent(String field, JsonObject value, Parts parts) {
    AccountEvent event = AccountEvent.parse(field, value);
    if (event == null) {
      parts.skipped.add(new WebhookPayload.Skipped(field, "bad_shape", null, value.copy()));
    } else {
      parts.accountEvents.add(event);
    }
  }

  /**
   * {@code smb_message_echoes}: what a person sent from the WhatsApp Business app on the bot's number. Each
   * echo is about the customer it went {@code to} (phone number) or {@code to_user_id} (BSUID), and becomes
   * a {@link InboundMessage.BusinessEcho} in that customer's conversation.
   */
  private static void parseEchoes(JsonObject value, Parts parts) {
    JsonObject metadata = value.getValue("metadata") instanceof JsonObject m ? m : new JsonObject();
    String phoneNumberId = text(metadata, "phone_number_id");
    for (JsonObject raw : objects(value.getValue("message_echoes"))) {
      String id = text(raw, "id");
      Senders.Sender recipient = Senders.sender(echoRecipient(raw), List.of());
      if (id == null) {
        parts.skipped.add(new WebhookPayload.Skipped("echo", "no_id", null, raw));
      } else if (recipient.identity() == null) {
        parts.skipped.add(new WebhookPayload.Skipped("echo", recipient.skipReason(), id, raw));
      } else {
        parts.messages.add(new WebhookPayload.Received(parseEcho(raw, recipient.identity(), phoneNumberId), raw, null,
            phoneNumberId));
      }
    }
  }

  /** The customer an echo went to, in the shape of a message they sent (so {@link Senders} checks each id). */
  private static JsonObject echoRecipient(JsonObject echo) {
    JsonObject as = new JsonObject();
    if (echo.getValue("to") != null) {
      as.put("from", echo.getValue("to"));
    }
    if (echo.getValue("to_user_id") != null) {
      as.put("from_user_id", echo.getValue("to_user_id"));
    }
    return as;
  }

  /** Parses one stored echo, as the business sent it to {@code customer}. */
  public static InboundMessage.BusinessEcho parseEcho(JsonObject raw, CustomerIdentity customer, String phoneNumberId) {
    InboundMessage.Meta meta = new InboundMessage.Meta(text(raw, "id"), customer, null, instant(raw.getValue("timestamp")),
        null, phoneNumberId);
    String type = text(raw, "type") == null ? "unknown" : text(raw, "type");
    JsonObject content = raw.getValue(type) instanceof JsonObject o ? o : new JsonObject();
    String body = text(content, "body") != null ? text(content, "body") : text(content, "caption");
    return new InboundMessage.BusinessEcho(meta, type, body);
  }

  private static void parseMessagesChange(JsonObject value, Parts parts) {
    JsonObject metadata = value.getValue("metadata") instanceof JsonObject m ? m : new JsonObject();
    String phoneNumberId = text(metadata, "phone_number_id");
    List<Senders.Contact> contacts = objects(value.getValue("contacts")).stream().map(Senders.Contact::of).toList();
    // Each object on its own: one that breaks the parser is skipped, and the others of its change still count.
    for (JsonObject raw : objects(value.getValue("messages"))) {
      String id = text(raw, "id");
      try {
        Senders.Sender sender = Senders.sender(raw, contacts);
        if (id == null) {
          parts.skipped.add(new WebhookPayload.Skipped("message", "no_id", null, raw));
        } else if (sender.identity() == null) {
          parts.skipped.add(new WebhookPayload.Skipped("message", sender.skipReason(), id, raw));
        } else {
          InboundMessage message = parseMessage(raw, sender.identity(), sender.profileName(), phoneNumberId);
          parts.messages.add(new WebhookPayload.Received(message, raw, sender.profileName(), phoneNumberId, sender.issues()));
        }
      } catch (RuntimeException e) {
        parts.skipped.add(new WebhookPayload.Skipped("message", PARSE_FAILED, id, raw));
      }
    }
    for (JsonObject raw : objects(value.getValue("statuses"))) {
      try {
        StatusUpdate status = parseStatus(raw);
        if (status == null) {
          parts.skipped.add(new WebhookPayload.Skipped("status", text(raw, "id") == null ? "no_id" : "unknown_status",
              text(raw, "id"), raw));
        } else {
          parts.statuses.add(status);
        }
      } catch (RuntimeException e) {
        parts.skipped.add(new WebhookPayload.Skipped("status", PARSE_FAILED, text(raw, "id"), raw));
      }
    }
    for (JsonObject raw : objects(value.getValue("errors"))) {
      try {
        parts.errors.add(parseError(raw));
      } catch (RuntimeException e) {
        parts.skipped.add(new WebhookPayload.Skipped("error", PARSE_FAILED, null, raw));
      }
    }
  }

  /** {@code user_preferences}: the customer by {@code user_id} (BSUID), {@code parent_user_id} and/or {@code wa_id}. */
  private static void parsePreferences(JsonObject value, Parts parts) {
    for (JsonObject pref : objects(value.getValue("user_preferences"))) {
      String bsuid = text(pref, "user_id");
      String parent = text(pref, "parent_user_id");
      CustomerIdentity customer = CustomerIdentity.of(CustomerIds.isBsuid(bsuid) ? bsuid : null,
          CustomerIds.isParentBsuid(parent) ? parent : null, CustomerIds.phone(text(pref, "wa_id")), null);
      if (customer.isEmpty()) {
        parts.skipped.add(new WebhookPayload.Skipped("preference",
            bsuid == null && text(pref, "wa_id") == null ? "no_identity" : "invalid_sender", null, pref));
      } else {
        parts.preferences.add(new UserPreference(customer, text(pref, "category"), text(pref, "value"),
            text(pref, "detail"), instant(pref.getValue("timestamp"))));
      }
    }
  }

  private static void parseUserIdUpdates(JsonObject value, Parts parts) {
    Object updates = value.getValue("user_id_update");
    List<JsonObject> entries = updates instanceof JsonObject one ? List.of(one) : objects(updates);
    for (JsonObject update : entries) {
      IdentityChange change = Senders.userIdUpdate(update);
      if (change == null) {
        parts.skipped.add(new WebhookPayload.Skipped("user_id_update", "invalid_sender", null, update));
      } else {
        parts.identityUpdates.add(change);
      }
    }
  }

  /**
   * Parses one message object as stored in a job, from the sender it was attributed to; null when it
   * has no id.
   */
  public static InboundMessage parseMessage(JsonObject raw, CustomerIdentity sender, String profileName,
      String phoneNumberId) {
    String id = text(raw, "id");
    if (id == null || sender == null) {
      return null;
    }
    JsonObject context = raw.getValue("context") instanceof JsonObject c ? c : new JsonObject();
    InboundMessage.Meta meta = new InboundMessage.Meta(id, sender, profileName, instant(raw.getValue("timestamp")),
        text(context, "id"), phoneNumberId, Referral.of(raw.getValue("referral")));
    String type = text(raw, "type") == null ? "unknown" : text(raw, "type");
    JsonObject content = raw.getValue(type) instanceof JsonObject o ? o : new JsonObject();
    switch (type) {
      case "text":
        return new InboundMessage.Text(meta, nonNull(text(content, "body")));
      case "interactive":
        return interactive(meta, raw, content);
      case "button":
        return new InboundMessage.QuickReply(meta, nonNull(text(content, "payload")), nonNull(text(content, "text")));
      case "image", "audio", "video", "document", "sticker":
        return new InboundMessage.Media(meta, type, text(content, "id"), text(content, "mime_type"), text(content, "caption"),
            text(content, "filename"), Boolean.TRUE.equals(content.getValue("voice")));
      case "location":
        return new InboundMessage.Location(meta, number(content, "latitude"), number(content, "longitude"),
            text(content, "name"), text(content, "address"));
      case "contacts":
        return new InboundMessage.Contacts(meta, raw.getValue("contacts") instanceof JsonArray a ? a.copy() : new JsonArray());
      case "order":
        return order(meta, raw, content);
      case "reaction":
        return new InboundMessage.Reaction(meta, text(content, "message_id"), nonNull(text(content, "emoji")));
      case "system":
        IdentityChange change = Senders.systemChange(content, sender);
        return change == null ? new InboundMessage.Unsupported(meta, type, raw.copy())
            : new InboundMessage.IdentityChanged(meta, change, raw.copy());
      default:
        return new InboundMessage.Unsupported(meta, type, raw.copy());
    }
  }

  /** A cart; without a line naming a product it is not one Meta documents, and arrives as unsupported. */
  private static InboundMessage order(InboundMessage.Meta meta, JsonObject raw, JsonObject order) {
    List<InboundMessage.OrderItem> items = new ArrayList<>();
    for (JsonObject item : objects(order.getValue("product_items"))) {
      String product = text(item, "product_retailer_id");
      if (product != null) {
        int quantity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, number(item, "quantity")));
        items.add(new InboundMessage.OrderItem(product, quantity, number(item, "item_price"), text(item, "currency")));
      }
    }
    if (items.isEmpty()) {
      return new InboundMessage.Unsupported(meta, "order", raw.copy());
    }
    return new InboundMessage.Order(meta, text(order, "catalog_id"), text(order, "text"), items);
  }

  /** The sender a stored message names by itself (no contacts): for jobs queued before identities were resolved. */
  public static CustomerIdentity senderOf(JsonObject raw) {
    return Senders.sender(raw, List.of()).identity();
  }

  private static InboundMessage interactive(InboundMessage.Meta meta, JsonObject raw, JsonObject interactive) {
    String kind = nonNull(text(interactive, "type"));
    JsonObject reply = interactive.getValue(kind) instanceof JsonObject r ? r : new JsonObject();
    if (kind.equals("button_reply") && text(reply, "id") != null) {
      return new InboundMessage.ButtonReply(meta, text(reply, "id"), nonNull(text(reply, "title")));
    }
    if (kind.equals("list_reply") && text(reply, "id") != null) {
      return new InboundMessage.ListReply(meta, text(reply, "id"), nonNull(text(reply, "title")), text(reply, "description"));
    }
    if (kind.equals("nfm_reply")) {
      return flowReply(meta, reply);
    }
    return new InboundMessage.Unsupported(meta, "interactive", raw.copy());
  }

  /**
   * A completed WhatsApp Flow: {@code response_json} is a JSON string holding the answers and the
   * {@code flow_token}. A reply whose answers are not a JSON object keeps an empty response and no
   * token, so the conversation refuses it as an unknown form instead of failing the job.
   */
  private static InboundMessage flowReply(InboundMessage.Meta meta, JsonObject reply) {
    JsonObject response;
    try {
      Object parsed = Json.decodeValue(nonNull(text(reply, "response_json")));
      response = parsed instanceof JsonObject o ? o : new JsonObject();
    } catch (DecodeException e) {
      response = new JsonObject();
    }
    String token = response.getValue("flow_token") instanceof String t ? t : null;
    JsonObject answers = response.copy();
    answers.remove("flow_token");
    return new InboundMessage.FlowReply(meta, token, answers, text(reply, "body"));
  }

  /**
   * A status names its recipient by {@code recipient_id} (phone), {@code recipient_user_id} (BSUID) and
   * {@code recipient_parent_user_id} (formerly {@code parent_recipient_user_id}), any of them optional;
   * malformed ones are left out, since the status is correlated by its message id anyway.
   */
  static StatusUpdate parseStatus(JsonObject raw) {
    String id = text(raw, "id");
    String status = text(raw, "status");
    if (id == null || status == null) {
      return null;
    }
    StatusUpdate.Status parsed;
    try {
      parsed = StatusUpdate.Status.valueOf(status.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null; // "deleted", "warning" and future states are not tracked
    }
    List<WebhookError> errors = new ArrayList<>();
    for (JsonObject error : objects(raw.getValue("errors"))) {
      errors.add(parseError(error));
    }
    String bsuid = text(raw, "recipient_user_id");
    String parent = text(raw, "recipient_parent_user_id") != null ? text(raw, "recipient_parent_user_id")
        : text(raw, "parent_recipient_user_id");
    CustomerIdentity recipient = CustomerIdentity.of(CustomerIds.isBsuid(bsuid) ? bsuid : null,
        CustomerIds.isParentBsuid(parent) ? parent : null, CustomerIds.phone(text(raw, "recipient_id")), null);
    return new StatusUpdate(id, parsed, instant(raw.getValue("timestamp")), recipient, errors,
        text(raw, "biz_opaque_callback_data"), pricing(raw));
  }

  /** A status's {@code pricing} (and {@code conversation.id}); null when it has none or no category. */
  private static StatusUpdate.Pricing pricing(JsonObject status) {
    if (!(status.getValue("pricing") instanceof JsonObject pricing) || text(pricing, "category") == null) {
      return null;
    }
    JsonObject conversation = status.getValue("conversation") instanceof JsonObject c ? c : new JsonObject();
    Object billable = pricing.getValue("billable");
    return new StatusUpdate.Pricing(text(pricing, "category"), Boolean.TRUE.equals(billable) || "true".equals(billable),
        text(pricing, "pricing_model"), text(pricing, "type"), text(conversation, "id"));
  }

  public static WebhookError parseError(JsonObject raw) {
    JsonObject data = raw.getValue("error_data") instanceof JsonObject d ? d : new JsonObject();
    Object code = raw.getValue("code");
    int parsedCode = code instanceof Number n ? n.intValue() : code instanceof String s && s.matches("\\d{1,9}") ? Integer.parseInt(s) : 0;
    return new WebhookError(parsedCode, text(raw, "title"), text(raw, "message"), text(data, "details"));
  }

  private static List<JsonObject> objects(Object array) {
    List<JsonObject> out = new ArrayList<>();
    if (array instanceof JsonArray a) {
      for (Object o : a) {
        if (o instanceof JsonObject obj) {
          out.add(obj);
        }
      }
    }
    return out;
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  private static double number(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return value instanceof String s ? Double.parseDouble(s) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Instant instant(Object value) {
    try {
      if (value instanceof Number n) {
        return Instant.ofEpochSecond(n.longValue());
      }
      if (value instanceof String s && !s.isBlank()) {
        return Instant.ofEpochSecond(Long.parseLong(s.trim()));
      }
    } catch (NumberFormatException | java.time.DateTimeException ignored) {
      // fall through to now: the time Meta reports is informative, never used for ordering
    }
    return Instant.now();
  }
}
