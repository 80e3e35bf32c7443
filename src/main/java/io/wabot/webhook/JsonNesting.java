package io.wabot.webhook;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * How deeply JSON nests. Parsing, copying and encoding JSON recurse once per level, and an event loop's
 * stack ({@code -Xss512k}) runs out somewhere below a thousand levels: a payload nested that deep must be
 * refused before anything recursive touches it. Meta's payloads are shallow (a message is about six
 * levels below the root, and its own content a few more), so the limits here are far above anything real
 * and far below what the stack can take.
 *
 * <p>Nothing here recurses: the body is scanned byte by byte, trees are walked with an explicit stack.
 */
public final class JsonNesting {

  /** Deepest body accepted; a deeper one is refused with 400 before it is parsed. */
  public static final int MAX_BODY_DEPTH = 128;
  /** Deepest single message accepted; a deeper one is skipped as poison, its neighbours go on. */
  public static final int MAX_MESSAGE_DEPTH = 32;

  private JsonNesting() {
  }

  /**
   * The nesting depth of raw JSON, counted up to {@code limit + 1} at most (the scan stops there).
   * Brackets inside strings do not count. The bytes need not be valid JSON.
   */
  public static int depth(Buffer json, int limit) {
    int depth = 0;
    int max = 0;
    boolean inString = false;
    boolean escaped = false;
    for (int i = 0, n = json.length(); i < n; i++) {
      byte b = json.getByte(i);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        depth++;
        if (depth > max) {
          max = depth;
          if (max > limit) {
            return max;
          }
        }
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }
    return max;
  }

  /** Whether a parsed value nests more than {@code limit} levels (an object or array is one level). */
  public static boolean deeperThan(Object value, int limit) {
    Deque<Object> values = new ArrayDeque<>();
    Deque<Integer> depths = new ArrayDeque<>();
    values.push(value);
    depths.push(0);
    while (!values.isEmpty()) {
      Object current = values.pop();
      int depth = depths.pop();
      Iterable<?> children = children(current);
      if (children == null) {
        continue;
      }
      if (depth + 1 > limit) {
        return true;
      }
      for (Object child : children) {
        values.push(child);
        depths.push(depth + 1);
      }
    }
    return false;
  }

  /**
   * A copy of a message safe to encode and show: levels below {@code limit} are replaced by a note.
   * Recurses at most {@code limit} levels.
   */
  public static JsonObject pruned(JsonObject value, int limit) {
    return (JsonObject) prune(value, limit);
  }

  @SuppressWarnings("unchecked")
  private static Object prune(Object raw, int levelsLeft) {
    Object value = raw instanceof Map<?, ?> map ? new JsonObject((Map<String, Object>) map)
        : raw instanceof java.util.List<?> list ? new JsonArray((java.util.List<Object>) list) : raw;
    if (children(value) == null) {
      return value;
    }
    if (levelsLeft <= 0) {
      return "(nested deeper than " + MAX_MESSAGE_DEPTH + " levels; not kept)";
    }
    if (value instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      for (Map.Entry<String, Object> entry : object) {
        copy.put(entry.getKey(), prune(entry.getValue(), levelsLeft - 1));
      }
      return copy;
    }
    JsonArray copy = new JsonArray();
    for (Object item : (JsonArray) value) {
      copy.add(prune(item, levelsLeft - 1));
    }
    return copy;
  }

  private static Iterable<?> children(Object value) {
    if (value instanceof JsonObject object) {
      return object.getMap().values();
    }
    if (value instanceof JsonArray array) {
      return array.getList();
    }
    if (value instanceof Map<?, ?> map) {
      return map.values();
    }
    return value instanceof Iterable<?> list ? list : null;
  }
}
