package io.wabot.observability.logs;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Keeps single events under a byte limit (Better Stack wants them well under 100 KiB) by truncating
 * their longest text fields, typically {@code message} or {@code stack_trace}, and marking them
 * {@code "truncated": true}. Events within the limit pass through untouched and unparsed.
 */
final class EventSizeCap {

  static final String MARK = "... [truncated]";
  /** Room for the marker fields and JSON escaping of what is kept. */
  private static final int SLACK = 256;
  private static final String[] IDENTITY_FIELDS = {"dt", "level", "logger", "thread", "event", "correlation_id", "customer", "wamid", "alert"};

  private EventSizeCap() {
  }

  static byte[] fit(byte[] json, int maxBytes) {
    if (json.length <= maxBytes) {
      return json;
    }
    JsonObject event;
    try {
      event = new JsonObject(Buffer.buffer(json));
    } catch (RuntimeException notJson) {
      return minimal(new JsonObject().put("message", new String(json, StandardCharsets.UTF_8)), json.length, maxBytes);
    }
    event.put("truncated", true).put("original_size", json.length);
    byte[] encoded = json;
    for (int round = 0; round < 8 && encoded.length > maxBytes; round++) {
      String field = longestText(event);
      if (field == null) {
        break;
      }
      String value = event.getString(field);
      int excess = encoded.length - maxBytes + SLACK + MARK.length();
      event.put(field, cut(value, Math.max(0, value.length() - excess)) + MARK);
      encoded = event.toBuffer().getBytes();
    }
    return encoded.length <= maxBytes ? encoded : minimal(event, json.length, maxBytes);
  }

  /** The fields that identify the event, and as much of the message as fits. */
  private static byte[] minimal(JsonObject original, int originalSize, int maxBytes) {
    JsonObject event = new JsonObject();
    for (String field : IDENTITY_FIELDS) {
      Object value = original.getValue(field);
      if (value instanceof String s && s.length() <= 200) {
        event.put(field, s);
      }
    }
    event.put("truncated", true).put("original_size", originalSize);
    String message = original.getValue("message") instanceof String s ? s : "";
    int room = Math.max(0, maxBytes - event.toBuffer().length() - SLACK - MARK.length());
    // a character takes at most six bytes once encoded and escaped, so room / 6 characters always fit
    event.put("message", cut(message, room / 6) + MARK);
    return event.toBuffer().getBytes();
  }

  private static String longestText(JsonObject event) {
    String longest = null;
    int length = 0;
    for (Map.Entry<String, Object> entry : event) {
      if (entry.getValue() instanceof String s && s.length() > length && !s.endsWith(MARK)) {
        longest = entry.getKey();
        length = s.length();
      }
    }
    return longest;
  }

  /** The first {@code length} characters, never splitting a surrogate pair. */
  static String cut(String s, int length) {
    if (length >= s.length()) {
      return s;
    }
    int end = length;
    if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }
}
