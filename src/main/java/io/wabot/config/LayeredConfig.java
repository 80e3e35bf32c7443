package io.wabot.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The defaults, the override file and the environment merged into one tree, remembering for every
 * setting which layer it came from.
 *
 * <p>Objects merge key by key; any other value (arrays included) replaces the lower layer's value
 * whole, so a list in an override file is the complete list.
 */
public final class LayeredConfig {

  private final JsonObject merged = new JsonObject();
  private final Map<String, ConfigSource> sources = new LinkedHashMap<>();
  private final List<String> unknownPaths = new ArrayList<>();

  /** Paths whose content is free-form (a map of names), so keys below them are not schema-checked. */
  private final List<String> openSections;

  public LayeredConfig(List<String> openSections) {
    this.openSections = List.copyOf(openSections);
  }

  /** Adds the lowest layer: it defines which settings exist. */
  public LayeredConfig defaults(JsonObject defaults) {
    merge(merged, defaults, "", ConfigSource.DEFAULT, true);
    return this;
  }

  /** Adds a layer over the ones already added; keys the defaults do not know are remembered as unknown. */
  public LayeredConfig overlay(JsonObject layer, ConfigSource source) {
    merge(merged, layer, "", source, false);
    return this;
  }

  /** Sets one leaf, as the environment layer does. */
  public LayeredConfig set(String path, Object value, ConfigSource source) {
    String[] parts = path.split("\\.");
    JsonObject node = merged;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject child = node.getValue(parts[i]) instanceof JsonObject o ? o : null;
      if (child == null) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = child;
    }
    node.put(parts[parts.length - 1], value);
    sources.put(path, source);
    return this;
  }

  private void merge(JsonObject target, JsonObject layer, String prefix, ConfigSource source, boolean defining) {
    for (Map.Entry<String, Object> entry : layer) {
      String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
      Object value = entry.getValue();
      Object existing = target.getValue(entry.getKey());
      boolean known = defining || existing != null || isOpen(path);
      if (!known) {
        unknownPaths.add(path);
        continue;
      }
      if (value instanceof JsonObject obj && (existing instanceof JsonObject || existing == null)) {
        JsonObject child = existing instanceof JsonObject e ? e : new JsonObject();
        target.put(entry.getKey(), child);
        merge(child, obj, path, source, defining || isOpen(path));
        if (obj.isEmpty()) {
          sources.put(path, source);
        }
      } else {
        target.put(entry.getKey(), copy(value));
        sources.keySet().removeIf(p -> p.startsWith(path + "."));
        sources.put(path, source);
      }
    }
  }

  private boolean isOpen(String path) {
    for (String open : openSections) {
      if (path.equals(open) || path.startsWith(open + ".")) {
        return true;
      }
    }
    return false;
  }

  private static Object copy(Object value) {
    if (value instanceof JsonObject o) {
      return o.copy();
    }
    if (value instanceof JsonArray a) {
      return a.copy();
    }
    return value;
  }

  /** The value at a dotted path, or null. */
  public Object get(String path) {
    Object node = merged;
    for (String part : path.split("\\.")) {
      if (!(node instanceof JsonObject obj)) {
        return null;
      }
      node = obj.getValue(part);
    }
    return node;
  }

  public ConfigSource sourceOf(String path) {
    ConfigSource source = sources.get(path);
    if (source != null) {
      return source;
    }
    // A subtree: the highest layer that touched anything beneath it.
    ConfigSource highest = ConfigSource.DEFAULT;
    for (Map.Entry<String, ConfigSource> e : sources.entrySet()) {
      if (e.getKey().startsWith(path + ".") && e.getValue().ordinal() > highest.ordinal()) {
        highest = e.getValue();
      }
    }
    return highest;
  }

  /** Every leaf setting and its source, in file order. */
  public Map<String, ConfigSource> leafSources() {
    return Collections.unmodifiableMap(sources);
  }

  public List<String> unknownPaths() {
    return List.copyOf(unknownPaths);
  }

  /**
   * A copy of these layers with one more laid over them, e.g. one business number's overrides over the
   * shared settings; this tree is not changed.
   */
  public LayeredConfig withOverlay(JsonObject layer, ConfigSource source) {
    LayeredConfig copy = new LayeredConfig(openSections);
    copy.merged.mergeIn(merged.copy());
    copy.sources.putAll(sources);
    copy.merge(copy.merged, layer, "", source, false);
    return copy;
  }

  public JsonObject asJson() {
    return merged.copy();
  }
}
