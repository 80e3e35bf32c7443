package io.wabot.whatsapp.inbound;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses a Cloud API webhook body: every entry, every change, every message, status and error, not
 * just {@code [0]}. Unknown fields are ignored; unknown message types become
 * {@link InboundMessage.Unsupported}; a malformed message is skipped and counted rather than failing
 * the messages beside it.
 */
public final class WebhookParser {

  private WebhookParser() {
  }

  public static WebhookPayload parse(JsonObject body) {
    if (body == null || !"whatsapp_business_account".equals(body.getValue("object"))) {
      throw new InvalidPayloadException("\"object\" must be \"whatsapp_business_account\"");
    }
    if (!(body.getValue("entry") instanceof JsonArray entries)) {
      throw new InvalidPayloadException("\"entry\" must be an array");
    }
    List<WebhookPayload.Received> messages = new ArrayList<>();
    List<StatusUpdate> statuses = new ArrayList<>();
    List<WebhookError> errors = new ArrayList<>();
    List<UserPreference> preferences = new ArrayList<>();
    List<WebhookPayload.Skipped> skipped = new ArrayList<>();
    for (JsonObject entry : objects(entries)) {
      for (JsonObject change : objects(entry.getValue("changes"))) {
        JsonObject value = change.getValue("value") instanceof JsonObject v ? v : new JsonObject();
        String field = change.getValue("field") instanceof String f ? f : "";
        if (field.equals("messages")) {
          parseMessagesChange(value, messages, statuses, errors, skipped);
        } else if (field.equals("user_preferences")) {
          for (JsonObject pref : objects(value.getValue("user_preferences"))) {
            preferences.add(new UserPreference(str(pref, "wa_id"), str(pref, "category"), str(pref, "value"),
                str(pref, "detail"), instant(pref.getValue("timestamp"))));
          }
        }
      }
    }
    return new WebhookPayload(messages, statuses, errors, preferences, skipped);
  }

  private static void parseMessagesChange(JsonObject value, List<WebhookPayload.Received> messages,
      List<StatusUpdate> statuses, List<WebhookError> errors, List<WebhookPayload.Skipped> skipped) {
    JsonObject metadata = value.getValue("metadata") instanceof JsonObject m ? m : new JsonObject();
    String phoneNumberId = str(metadata, "phone_number_id");
    Map<String, String> names = new HashMap<>();
    for (JsonObject contact : objects(value.getValue("contacts"))) {
      JsonObject profile = contact.getValue("profile") instanceof JsonObject p ? p : new JsonObject();
      if (str(contact, "wa_id") != null) {
        names.put(str(contact, "wa_id"), str(profile, "name"));
      }
    }
    for (JsonObject raw : objects(value.getValue("messages"))) {
      String from = str(raw, "from");
      InboundMessage message = parseMessage(raw, names.get(from), phoneNumberId);
      if (message == null) {
        skipped.add(new WebhookPayload.Skipped("message", str(raw, "id") == null ? "no_id" : "no_sender", str(raw, "id"), raw));
      } else {
        messages.add(new WebhookPayload.Received(message, raw, names.get(from), phoneNumberId));
      }
    }
    for (JsonObject raw : objects(value.getValue("statuses"))) {
      StatusUpdate status = parseStatus(raw);
      if (status == null) {
        skipped.add(new WebhookPayload.Skipped("status", str(raw, "id") == null ? "no_id" : "unknown_status", str(raw, "id"), raw));
      } else {
        statuses.add(status);
      }
    }
    for (JsonObject raw : objects(value.getValue("errors"))) {
      errors.add(parseError(raw));
    }
  }

  /** Parses one message object as stored in a job; null when it lacks an id or a sender. */
  public static InboundMessage parseMessage(JsonObject raw, String profileName, String phoneNumberId) {
    String id = str(raw, "id");
    String from = str(raw, "from");
    if (id == null || from == null) {
      return null;
    }
    JsonObject context = raw.getValue("context") instanceof JsonObject c ? c : new JsonObject();
    InboundMessage.Meta meta = new InboundMessage.Meta(id, from, profileName, instant(raw.getValue("timestamp")),
        str(context, "id"), phoneNumberId);
    String type = str(raw, "type") == null ? "unknown" : str(raw, "type");
    JsonObject content = raw.getValue(type) instanceof JsonObject o ? o : new JsonObject();
    switch (type) {
      case "text":
        return new InboundMessage.Text(meta, nonNull(str(content, "body")));
      case "interactive":
        return interactive(meta, raw, content);
      case "button":
        return new InboundMessage.QuickReply(meta, nonNull(str(content, "payload")), nonNull(str(content, "text")));
      case "image", "audio", "video", "document", "sticker":
        return new InboundMessage.Media(meta, type, str(content, "id"), str(content, "mime_type"), str(content, "caption"),
            str(content, "filename"), Boolean.TRUE.equals(content.getValue("voice")));
      case "location":
        return new InboundMessage.Location(meta, number(content, "latitude"), number(content, "longitude"),
            str(content, "name"), str(content, "address"));
      case "contacts":
        return new InboundMessage.Contacts(meta, raw.getValue("contacts") instanceof JsonArray a ? a.copy() : new JsonArray());
      case "reaction":
        return new InboundMessage.Reaction(meta, str(content, "message_id"), nonNull(str(content, "emoji")));
      default:
        return new InboundMessage.Unsupported(meta, type, raw.copy());
    }
  }

  private static InboundMessage interactive(InboundMessage.Meta meta, JsonObject raw, JsonObject interactive) {
    String kind = nonNull(str(interactive, "type"));
    JsonObject reply = interactive.getValue(kind) instanceof JsonObject r ? r : new JsonObject();
    if (kind.equals("button_reply") && str(reply, "id") != null) {
      return new InboundMessage.ButtonReply(meta, str(reply, "id"), nonNull(str(reply, "title")));
    }
    if (kind.equals("list_reply") && str(reply, "id") != null) {
      return new InboundMessage.ListReply(meta, str(reply, "id"), nonNull(str(reply, "title")), str(reply, "description"));
    }
    return new InboundMessage.Unsupported(meta, "interactive", raw.copy());
  }

  static StatusUpdate parseStatus(JsonObject raw) {
    String id = str(raw, "id");
    String status = str(raw, "status");
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
    return new StatusUpdate(id, parsed, instant(raw.getValue("timestamp")), str(raw, "recipient_id"), errors,
        str(raw, "biz_opaque_callback_data"));
  }

  static WebhookError parseError(JsonObject raw) {
    JsonObject data = raw.getValue("error_data") instanceof JsonObject d ? d : new JsonObject();
    Object code = raw.getValue("code");
    int parsedCode = code instanceof Number n ? n.intValue() : code instanceof String s && s.matches("\\d+") ? Integer.parseInt(s) : 0;
    return new WebhookError(parsedCode, str(raw, "title"), str(raw, "message"), str(data, "details"));
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

  private static String str(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value instanceof String s) {
      return s;
    }
    return value instanceof Number n ? n.toString() : null;
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
