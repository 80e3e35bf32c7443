package io.wabot.webhook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Keeps the {@code messages} and {@code smb_message_echoes} changes of a webhook body that are addressed to this bot's phone number id,
 * before the body is parsed. A change without {@code metadata.phone_number_id} cannot be told apart from
 * one for another number of the same business account (a webhook URL can be shared by several), so it is
 * not treated as ours; neither is one for another number. Both are dropped whole (messages, statuses and
 * errors alike) and reported, so that an operator sees what was left out.
 *
 * <p>Other fields ({@code user_preferences}, template and account updates...) are about the account or its
 * customers, not one number, and are kept.
 */
final class OwnChanges {

  /** Fields whose changes are about one phone number (its {@code metadata}); the others are about the account. */
  private static final java.util.Set<Object> NUMBER_FIELDS = java.util.Set.of("messages", "smb_message_echoes");

  /** A change left out: why, and how much it carried. */
  record Ignored(String reason, String phoneNumberId, int messages, int statuses) {
  }

  private OwnChanges() {
  }

  /** Removes, in place, the changes not addressed to {@code phoneNumberId}; returns what was removed. */
  static List<Ignored> keepOwn(JsonObject body, String phoneNumberId) {
    List<Ignored> ignored = new ArrayList<>();
    if (!(body.getValue("entry") instanceof JsonArray entries)) {
      return ignored;
    }
    for (Object entry : entries) {
      if (entry instanceof JsonObject e && e.getValue("changes") instanceof JsonArray changes) {
        for (Iterator<Object> it = changes.iterator(); it.hasNext(); ) {
          Ignored verdict = verdict(it.next(), phoneNumberId);
          if (verdict != null) {
            ignored.add(verdict);
            it.remove();
          }
        }
      }
    }
    return ignored;
  }

  private static Ignored verdict(Object change, String phoneNumberId) {
    if (!(change instanceof JsonObject c) || !NUMBER_FIELDS.contains(c.getValue("field"))
        || !(c.getValue("value") instanceof JsonObject value)) {
      return null;
    }
    Object id = value.getValue("metadata") instanceof JsonObject metadata ? metadata.getValue("phone_number_id") : null;
    String number = id instanceof String s ? s : id instanceof Number n ? n.toString() : null;
    if (number != null && number.equals(phoneNumberId)) {
      return null;
    }
    return new Ignored(number == null ? "no_metadata" : "other_number", number,
        size(value.getValue("messages")) + size(value.getValue("message_echoes")),
        size(value.getValue("statuses")));
  }

  private static int size(Object array) {
    return array instanceof JsonArray a ? a.size() : 0;
  }
}
