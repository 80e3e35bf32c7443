package io.wabot.webhook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.config.NumberConfig;
import io.wabot.numbers.BusinessNumbers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Splits the changes of a signed webhook body by the business number each is about, before it is parsed,
 * so that every message, status and field is handled as that number's: in its alias map, with its label.
 *
 * <p>A change is about a number when its field is one of a number's ({@code messages},
 * {@code smb_message_echoes}) or when it names one in {@code metadata.phone_number_id}
 * ({@code user_preferences}, {@code user_id_update}). It is kept only when that number is served <em>and</em>
 * the body was signed by the secret of that number's Meta app: app X cannot speak for app Y's numbers.
 * Otherwise it is dropped whole (messages, statuses and errors alike) and reported:
 * <ul>
 *   <li>{@code no_metadata}: a number's field without {@code metadata.phone_number_id}, which cannot be told
 *       apart from a change for another number of the same account;</li>
 *   <li>{@code other_number}: a number this deployment does not serve (or no longer, after a reload);</li>
 *   <li>{@code other_app}: a served number, in a body signed by another app's secret.</li>
 * </ul>
 * Changes about the account rather than a number (templates, quality, account updates) and customer
 * changes naming no number go with the signing app's first number: the default number when its app signed.
 */
final class NumberChanges {

  /** Fields whose changes are about one phone number (its {@code metadata}). */
  private static final Set<Object> NUMBER_FIELDS = Set.of("messages", "smb_message_echoes");
  /** Fields about a customer, which say on which number when they carry {@code metadata}. */
  private static final Set<Object> CUSTOMER_FIELDS = Set.of("user_preferences", "user_id_update");

  static final String NO_METADATA = "no_metadata";
  static final String OTHER_NUMBER = "other_number";
  static final String OTHER_APP = "other_app";
  /** The {@code number} label of a change for a number not served: the raw id is never a label. */
  static final String UNKNOWN = "unknown";

  /** A change left out: why, the number it named (its label, {@code unknown} when not served), and how much it carried. */
  record Ignored(String reason, String phoneNumberId, String label, int messages, int statuses) {
  }

  /** The changes of one number, as a webhook body of their own. */
  record Part(NumberConfig number, JsonObject body) {
  }

  record Split(List<Part> parts, List<Ignored> ignored) {
  }

  private NumberChanges() {
  }

  /**
   * @param entries   the body's {@code entry} array
   * @param signedFor the served numbers whose app's secret signed the body, in configured order
   */
  static Split split(JsonObject body, JsonArray entries, BusinessNumbers numbers, List<NumberConfig> signedFor) {
    NumberConfig fallback = signedFor.contains(numbers.defaultNumber()) ? numbers.defaultNumber()
        : signedFor.isEmpty() ? null : signedFor.get(0);
    Map<String, PartBuilder> parts = new LinkedHashMap<>();
    List<Ignored> ignored = new ArrayList<>();
    for (int e = 0; e < entries.size(); e++) {
      if (!(entries.getValue(e) instanceof JsonObject entry) || !(entry.getValue("changes") instanceof JsonArray changes)) {
        continue; // the parser would find nothing in it either
      }
      for (Object change : changes) {
        Ignored verdict = null;
        NumberConfig number = fallback;
        String named = numberNamed(change);
        if (named != null || isNumberField(change)) {
          Optional<NumberConfig> served = numbers.find(named);
          if (named == null) {
            verdict = ignored(change, NO_METADATA, null, UNKNOWN);
          } else if (served.isEmpty()) {
            verdict = ignored(change, OTHER_NUMBER, named, UNKNOWN);
          } else if (!signedFor.contains(served.get())) {
            verdict = ignored(change, OTHER_APP, named, served.get().label());
          } else {
            number = served.get();
          }
        } else if (fallback == null) {
          verdict = ignored(change, OTHER_NUMBER, null, UNKNOWN); // the signing app has no number served any more
        }
        if (verdict != null) {
          ignored.add(verdict);
        } else {
          NumberConfig of = number;
          parts.computeIfAbsent(of.phoneNumberId(), id -> new PartBuilder(body, of)).add(e, entry, change);
        }
      }
    }
    List<Part> out = new ArrayList<>();
    parts.values().forEach(builder -> out.add(new Part(builder.number, builder.body)));
    return new Split(out, ignored);
  }

  private static boolean isNumberField(Object change) {
    return change instanceof JsonObject c && NUMBER_FIELDS.contains(c.getValue("field")) && c.getValue("value") instanceof JsonObject;
  }

  /** The {@code metadata.phone_number_id} of a number's or customer's change; null when it names none. */
  private static String numberNamed(Object change) {
    if (!(change instanceof JsonObject c) || !(NUMBER_FIELDS.contains(c.getValue("field")) || CUSTOMER_FIELDS.contains(c.getValue("field")))
        || !(c.getValue("value") instanceof JsonObject value)) {
      return null;
    }
    Object id = value.getValue("metadata") instanceof JsonObject metadata ? metadata.getValue("phone_number_id") : null;
    return id instanceof String s && !s.isBlank() ? s : id instanceof Number n ? n.toString() : null;
  }

  private static Ignored ignored(Object change, String reason, String phoneNumberId, String label) {
    JsonObject value = change instanceof JsonObject c && c.getValue("value") instanceof JsonObject v ? v : new JsonObject();
    return new Ignored(reason, phoneNumberId, label, size(value.getValue("messages")) + size(value.getValue("message_echoes")),
        size(value.getValue("statuses")));
  }

  private static int size(Object array) {
    return array instanceof JsonArray a ? a.size() : 0;
  }

  /** One number's body: the envelope and entries of the original, each with only that number's changes. */
  private static final class PartBuilder {
    final JsonObject body;
    final NumberConfig number;
    final Map<Integer, JsonArray> changesOfEntry = new LinkedHashMap<>();

    PartBuilder(JsonObject original, NumberConfig number) {
      this.number = number;
      this.body = new JsonObject().put("object", original.getValue("object")).put("entry", new JsonArray());
    }

    void add(int entryIndex, JsonObject entry, Object change) {
      changesOfEntry.computeIfAbsent(entryIndex, i -> {
        JsonObject copy = new JsonObject();
        entry.forEach(field -> {
          if (!"changes".equals(field.getKey())) {
            copy.put(field.getKey(), field.getValue());
          }
        });
        JsonArray changes = new JsonArray();
        body.getJsonArray("entry").add(copy.put("changes", changes));
        return changes;
      }).add(change);
    }
  }
}
