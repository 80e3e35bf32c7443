package io.wabot.whatsapp.templates;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The account's message templates as last synced from {@code GET /{version}/{waba-id}/message_templates}
 * (Meta's shape: name, language, status, category, components). A template request is checked against
 * it before it is sent, so a missing parameter, a language the template lacks or a template that is not
 * APPROVED is a clear error in our logs instead of a rejection (or a silent drop) from Meta later.
 * Until the first sync succeeds nothing is known and every request passes.
 */
public final class TemplateRegistry {

  private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([^}\\s]+)\\s*}}");

  /** name → language → template. Replaced whole on each sync, so readers never see half a sync. */
  private volatile Map<String, Map<String, JsonObject>> templates;

  /** Replaces what is known with one complete sync. */
  public void replace(List<JsonObject> synced) {
    templates = synced.stream().filter(t -> t.getValue("name") instanceof String && t.getValue("language") instanceof String)
        .collect(Collectors.groupingBy(t -> t.getString("name"),
            Collectors.toMap(t -> t.getString("language"), Function.identity(), (a, b) -> a)));
  }

  /** Whether a sync has succeeded. */
  public boolean synced() {
    return templates != null;
  }

  public int size() {
    Map<String, Map<String, JsonObject>> known = templates;
    return known == null ? 0 : known.values().stream().mapToInt(Map::size).sum();
  }

  /** The languages the template {@code name} exists in (empty when unknown). */
  public Set<String> languages(String name) {
    Map<String, Map<String, JsonObject>> known = templates;
    return known == null || !known.containsKey(name) ? Set.of() : new TreeSet<>(known.get(name).keySet());
  }

  /**
   * What is wrong with this template request ({@code {"type": "template", "template": {...}}}), or null
   * when it matches an APPROVED template (or nothing has been synced yet).
   */
  public String problem(JsonObject requestBody) {
    Map<String, Map<String, JsonObject>> known = templates;
    JsonObject request = requestBody.getJsonObject("template", new JsonObject());
    String name = request.getString("name");
    String language = request.getJsonObject("language", new JsonObject()).getString("code");
    if (known == null) {
      return null;
    }
    if (!known.containsKey(name)) {
      return "template \"" + name + "\" is not on the WhatsApp Business Account (" + size() + " templates synced)";
    }
    JsonObject template = known.get(name).get(language);
    if (template == null) {
      return "template \"" + name + "\" has no " + language + " translation; it exists in " + languages(name);
    }
    String status = template.getString("status", "");
    if (!"APPROVED".equals(status)) {
      return "template \"" + name + "\" (" + language + ") is " + status + ", not APPROVED";
    }
    List<String> problems = new ArrayList<>();
    JsonArray given = request.getJsonArray("components", new JsonArray());
    for (Object c : template.getJsonArray("components", new JsonArray())) {
      if (c instanceof JsonObject component) {
        checkComponent(name, component, given, problems);
      }
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  private static void checkComponent(String name, JsonObject component, JsonArray given, List<String> problems) {
    String type = component.getString("type", "").toUpperCase();
    switch (type) {
      case "HEADER" -> {
        String format = component.getString("format", "TEXT").toLowerCase();
        List<JsonObject> params = parameters(given, "header", null);
        boolean needs = !"text".equals(format) || !variables(component.getString("text", "")).isEmpty();
        if (needs && (params.isEmpty() || !format.equals(params.get(0).getString("type")))) {
          problems.add("template \"" + name + "\" needs a " + format + " header parameter"
              + (params.isEmpty() ? "" : ", not " + params.get(0).getString("type")));
        }
      }
      case "BODY" -> {
        Set<String> expected = variables(component.getString("text", ""));
        List<JsonObject> params = parameters(given, "body", null);
        boolean named = expected.stream().anyMatch(v -> !v.matches("\\d+"));
        if (named) {
          Set<String> names = params.stream().map(p -> p.getString("parameter_name")).collect(Collectors.toCollection(TreeSet::new));
          if (!names.equals(new TreeSet<>(expected))) {
            problems.add("template \"" + name + "\" body takes the named parameters " + new TreeSet<>(expected)
                + "; given " + names);
          }
        } else if (params.size() != expected.size()) {
          problems.add("template \"" + name + "\" body takes " + expected.size() + " parameters; " + params.size() + " given");
        }
      }
      case "BUTTONS" -> {
        JsonArray buttons = component.getJsonArray("buttons", new JsonArray());
        for (int i = 0; i < buttons.size(); i++) {
          JsonObject button = buttons.getJsonObject(i);
          String kind = button.getString("type", "").toUpperCase();
          boolean dynamicUrl = "URL".equals(kind) && !variables(button.getString("url", "")).isEmpty();
          String subType = dynamicUrl ? "url" : "COPY_CODE".equals(kind) ? "copy_code" : null;
          if (subType != null && parameters(given, "button", i).isEmpty()) {
            problems.add("template \"" + name + "\" button " + i + " (" + subType + ") needs a parameter");
          }
        }
      }
      default -> {
      }
    }
  }

  private static List<JsonObject> parameters(JsonArray components, String type, Integer index) {
    for (Object c : components) {
      if (c instanceof JsonObject component && type.equals(component.getString("type"))
          && (index == null || String.valueOf(index).equals(String.valueOf(component.getValue("index"))))) {
        List<JsonObject> params = new ArrayList<>();
        component.getJsonArray("parameters", new JsonArray()).forEach(p -> params.add((JsonObject) p));
        return params;
      }
    }
    return List.of();
  }

  private static Set<String> variables(String text) {
    Set<String> found = new LinkedHashSet<>();
    Matcher m = VARIABLE.matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }
}
