package io.wabot.flows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the structure of a Flow JSON before it is published or served, so that a broken flow stops
 * start-up with one line per problem, naming the file and the JSON path, instead of failing on a
 * customer's phone. It checks what breaks a flow at run time: versions, unique screen ids, a layout
 * per screen, a terminal screen with a Footer, named and unique inputs, actions that name existing
 * screens and follow the routing model, {@code ${form.x}} and {@code ${data.x}} references that
 * resolve, a {@code data_api_version} wherever an endpoint is used, and a routing model that starts at
 * an entry screen, only goes forward and reaches every screen. Meta validates the rest on upload
 * ({@code scripts/flows-publish} prints its findings).
 */
public final class FlowJsonValidator {

  private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+");
  private static final Pattern SCREEN_ID = Pattern.compile("[A-Za-z0-9_]+");
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(form|data)\\.([A-Za-z0-9_]+)");
  private static final Set<String> INPUTS = Set.of("TextInput", "TextArea", "Dropdown", "RadioButtonsGroup",
      "CheckboxGroup", "DatePicker", "CalendarPicker", "OptIn", "ChipsSelector", "PhotoPicker", "DocumentPicker");
  private static final Set<String> WITH_OPTIONS = Set.of("Dropdown", "RadioButtonsGroup", "CheckboxGroup", "ChipsSelector");
  private static final Set<String> ACTION_KEYS = Set.of("on-click-action", "on-select-action", "on-unselect-action");
  private static final List<String> ACTIONS = List.of("navigate", "data_exchange", "complete", "update_data", "open_url");
  private static final String RESERVED_SCREEN = "SUCCESS";

  private final String source;
  private final List<String> problems = new ArrayList<>();

  private FlowJsonValidator(String source) {
    this.source = source;
  }

  /** The problems of one Flow JSON, each a line {@code <source>: <path>: <what>}; empty when it is sound. */
  public static List<String> validate(String source, JsonObject flow) {
    FlowJsonValidator validator = new FlowJsonValidator(source);
    validator.check(flow);
    return List.copyOf(validator.problems);
  }

  /** The routing model as read, for a flow that passed {@link #validate}. */
  static Map<String, List<String>> routes(JsonObject flow) {
    Map<String, List<String>> routes = new LinkedHashMap<>();
    JsonObject model = flow.getValue("routing_model") instanceof JsonObject m ? m : new JsonObject();
    model.forEach(e -> {
      List<String> targets = new ArrayList<>();
      if (e.getValue() instanceof JsonArray array) {
        array.forEach(t -> targets.add(String.valueOf(t)));
      }
      routes.put(e.getKey(), targets);
    });
    return routes;
  }

  private void problem(String path, String what) {
    problems.add(source + ": " + path + ": " + what);
  }

  private void check(JsonObject flow) {
    versionField(flow, "version", true);
    boolean endpoint = flow.containsKey("data_api_version");
    if (endpoint) {
      versionField(flow, "data_api_version", false);
    }
    if (!(flow.getValue("screens") instanceof JsonArray screens) || screens.isEmpty()) {
      problem("screens", "is missing; a flow needs at least one screen");
      return;
    }
    Map<String, JsonObject> byId = screens(screens);
    if (byId.values().stream().noneMatch(s -> Boolean.TRUE.equals(s.getValue("terminal")))) {
      problem("screens", "no screen is \"terminal\": true; the flow's last screen must be");
    }
    Map<String, List<String>> routes = routingModel(flow, endpoint, byId.keySet());
    int index = 0;
    for (Object value : screens) {
      if (value instanceof JsonObject screen && screen.getValue("id") instanceof String id) {
        new ScreenCheck("screens[" + index + "]", id, screen, endpoint, byId.keySet(), routes).run();
      }
      index++;
    }
  }

  private void versionField(JsonObject flow, String key, boolean required) {
    Object value = flow.getValue(key);
    if (value == null && required) {
      problem(key, "is missing; use a Flow JSON version Meta publishes, e.g. \"7.3\"");
    } else if (value != null && !(value instanceof String s && VERSION.matcher(s).matches())) {
      problem(key, "must be a version string such as \"" + ("version".equals(key) ? "7.3" : "3.0") + "\", got " + value);
    }
  }

  /** Screen ids in file order, after checking each is present, well formed, unique and not reserved. */
  private Map<String, JsonObject> screens(JsonArray screens) {
    Map<String, JsonObject> byId = new LinkedHashMap<>();
    for (int i = 0; i < screens.size(); i++) {
      String path = "screens[" + i + "]";
      if (!(screens.getValue(i) instanceof JsonObject screen)) {
        problem(path, "must be an object");
        continue;
      }
      if (!(screen.getValue("id") instanceof String id) || !SCREEN_ID.matcher(id).matches()) {
        problem(path + ".id", "is missing or not made of letters, digits and underscores");
      } else if (RESERVED_SCREEN.equals(id)) {
        problem(path + ".id", "\"SUCCESS\" is reserved by Meta (it closes the flow); rename the screen");
      } else if (byId.putIfAbsent(id, screen) != null) {
        problem(path + ".id", "\"" + id + "\" is used by another screen; screen ids must be unique");
      }
    }
    return byId;
  }

  private Map<String, List<String>> routingModel(JsonObject flow, boolean endpoint, Set<String> screenIds) {
    Object value = flow.getValue("routing_model");
    if (value == null) {
      if (endpoint) {
        problem("routing_model", "is missing; a flow with a data_api_version needs one (screen -> the screens it leads to)");
      }
      return Map.of();
    }
    if (!endpoint) {
      problem("routing_model", "is only used with a data_api_version (an endpoint); add one or remove the routing model");
    }
    if (!(value instanceof JsonObject model)) {
      problem("routing_model", "must be an object mapping each screen to an array of screens");
      return Map.of();
    }
    Map<String, List<String>> routes = new LinkedHashMap<>();
    model.forEach(e -> {
      String path = "routing_model." + e.getKey();
      if (!screenIds.contains(e.getKey())) {
        problem(path, "is not a screen of this flow; screens are " + screenIds);
        return;
      }
      List<String> targets = new ArrayList<>();
      if (!(e.getValue() instanceof JsonArray array)) {
        problem(path, "must be an array of screen ids");
      } else {
        for (int i = 0; i < array.size(); i++) {
          Object target = array.getValue(i);
          if (!(target instanceof String t) || !screenIds.contains(t)) {
            problem(path + "[" + i + "]", "\"" + target + "\" is not a screen of this flow; screens are " + screenIds);
          } else if (t.equals(e.getKey())) {
            problem(path + "[" + i + "]", "a screen cannot route to itself");
          } else {
            targets.add(t);
          }
        }
      }
      routes.put(e.getKey(), targets);
    });
    checkGraph(routes, screenIds);
    return routes;
  }

  /** The routing model must start somewhere, only go forward and reach every screen. */
  private void checkGraph(Map<String, List<String>> routes, Set<String> screenIds) {
    Set<String> targets = new HashSet<>();
    routes.values().forEach(targets::addAll);
    List<String> entries = screenIds.stream().filter(s -> !targets.contains(s)).toList();
    if (entries.isEmpty()) {
      problem("routing_model", "has no entry screen: every screen is the target of a route; the first screen must not be");
      return;
    }
    String cycle = cycle(routes);
    if (cycle != null) {
      problem("routing_model", "routes go in a circle (" + cycle + "); routes may only lead forward");
      return;
    }
    // Acyclic with one entry: every other screen is some route's target, so every screen is reached.
    if (entries.size() > 1) {
      problem("routing_model", "has several entry screens " + entries + "; every screen but the first must be the"
          + " target of a route");
    }
  }

  private static String cycle(Map<String, List<String>> routes) {
    Map<String, Integer> state = new LinkedHashMap<>();
    for (String start : routes.keySet()) {
      Deque<String> path = new ArrayDeque<>();
      String found = visit(start, routes, state, path);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** Depth-first search; state 1 = on the current path, 2 = done. Returns "A -> B -> A" for a cycle. */
  private static String visit(String screen, Map<String, List<String>> routes, Map<String, Integer> state, Deque<String> path) {
    Integer seen = state.get(screen);
    if (seen != null && seen == 2) {
      return null;
    }
    if (seen != null) {
      List<String> loop = new ArrayList<>(path);
      java.util.Collections.reverse(loop);
      return String.join(" -> ", loop.subList(loop.indexOf(screen), loop.size())) + " -> " + screen;
    }
    state.put(screen, 1);
    path.push(screen);
    for (String next : routes.getOrDefault(screen, List.of())) {
      String found = visit(next, routes, state, path);
      if (found != null) {
        return found;
      }
    }
    path.pop();
    state.put(screen, 2);
    return null;
  }

  /** One screen: its layout, inputs, actions and references. */
  private final class ScreenCheck {
    private final String path;
    private final String id;
    private final JsonObject screen;
    private final boolean endpoint;
    private final Set<String> screenIds;
    private final Map<String, List<String>> routes;
    private final Set<String> inputs = new HashSet<>();
    private final List<String[]> references = new ArrayList<>();
    private boolean footer;

    ScreenCheck(String path, String id, JsonObject screen, boolean endpoint, Set<String> screenIds,
        Map<String, List<String>> routes) {
      this.path = path;
      this.id = id;
      this.screen = screen;
      this.endpoint = endpoint;
      this.screenIds = screenIds;
      this.routes = routes;
    }

    void run() {
      flags();
      Set<String> declared = declaredData();
      if (!(screen.getValue("layout") instanceof JsonObject layout) || !(layout.getValue("type") instanceof String)
          || !(layout.getValue("children") instanceof JsonArray children)) {
        problem(path + ".layout", "is missing; a screen needs {\"type\": \"SingleColumnLayout\", \"children\": [...]}");
        return;
      }
      walk(path + ".layout.children", children);
      if (Boolean.TRUE.equals(screen.getValue("terminal")) && !footer) {
        problem(path, "screen " + id + " is terminal but has no Footer; the last screen needs one to finish the flow");
      }
      for (String[] ref : references) {
        if ("form".equals(ref[1]) && !inputs.contains(ref[2])) {
          problem(ref[0], "${form." + ref[2] + "} names no input of screen " + id + "; its inputs are " + inputs);
        } else if ("data".equals(ref[1]) && !declared.contains(ref[2])) {
          problem(ref[0], "${data." + ref[2] + "} is not declared in the \"data\" of screen " + id);
        }
      }
    }

    private void flags() {
      for (String flag : List.of("terminal", "success", "refresh_on_back")) {
        Object value = screen.getValue(flag);
        if (value != null && !(value instanceof Boolean)) {
          problem(path + "." + flag, "must be true or false");
        }
      }
      if (screen.containsKey("refresh_on_back") && !endpoint) {
        problem(path + ".refresh_on_back", "needs a data_api_version: going back asks the endpoint");
      }
    }

    private Set<String> declaredData() {
      Set<String> declared = new HashSet<>();
      Object data = screen.getValue("data");
      if (data == null) {
        return declared;
      }
      if (!(data instanceof JsonObject fields)) {
        problem(path + ".data", "must be an object of field declarations");
        return declared;
      }
      fields.forEach(e -> {
        declared.add(e.getKey());
        if (!(e.getValue() instanceof JsonObject field) || !(field.getValue("type") instanceof String)
            || !field.containsKey("__example__")) {
          problem(path + ".data." + e.getKey(), "must declare a \"type\" and an \"__example__\"");
        }
      });
      return declared;
    }

    private void walk(String at, Object node) {
      if (node instanceof JsonArray array) {
        for (int i = 0; i < array.size(); i++) {
          walk(at + "[" + i + "]", array.getValue(i));
        }
      } else if (node instanceof JsonObject object) {
        component(at, object);
        object.forEach(e -> {
          if (ACTION_KEYS.contains(e.getKey())) {
            action(at + "." + e.getKey(), e.getValue());
          }
          walk(at + "." + e.getKey(), e.getValue());
        });
      } else if (node instanceof String text) {
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
          references.add(new String[] {at, m.group(1), m.group(2)});
        }
      }
    }

    private void component(String at, JsonObject component) {
      Object type = component.getValue("type");
      if ("Footer".equals(type)) {
        footer = true;
        if (!(component.getValue("label") instanceof String) || !(component.getValue("on-click-action") instanceof JsonObject)) {
          problem(at, "a Footer needs a \"label\" and an \"on-click-action\"");
        }
      }
      if (!(type instanceof String t) || !INPUTS.contains(t)) {
        return;
      }
      if (!(component.getValue("name") instanceof String name) || name.isBlank()) {
        problem(at + ".name", "a " + t + " needs a \"name\": the key its value is sent under");
        return;
      }
      if (!inputs.add(name)) {
        problem(at + ".name", "\"" + name + "\" is used by another input of screen " + id + "; names must be unique");
      }
      Object required = component.getValue("required");
      if (required != null && !(required instanceof Boolean) && !(required instanceof String s && s.startsWith("${"))) {
        problem(at + ".required", "must be true, false or a ${data.x} reference");
      }
      if (WITH_OPTIONS.contains(t) && !(component.getValue("data-source") instanceof JsonArray)
          && !(component.getValue("data-source") instanceof String)) {
        problem(at + ".data-source", "a " + t + " needs its options: an array of {\"id\", \"title\"} or a ${data.x} reference");
      }
    }

    private void action(String at, Object value) {
      if (!(value instanceof JsonObject action) || !(action.getValue("name") instanceof String name) || !ACTIONS.contains(name)) {
        problem(at + ".name", "must be one of " + ACTIONS);
        return;
      }
      if ("data_exchange".equals(name) && !endpoint) {
        problem(at, "a data_exchange action calls the endpoint; declare \"data_api_version\": \"3.0\" and a routing_model");
      }
      if ("navigate".equals(name)) {
        Object target = action.getValue("next") instanceof JsonObject next ? next.getValue("name") : null;
        if (!(target instanceof String t) || !screenIds.contains(t)) {
          problem(at + ".next.name", "\"" + target + "\" is not a screen of this flow; screens are " + screenIds);
        } else if (endpoint && !routes.getOrDefault(id, List.of()).contains(t)) {
          problem(at + ".next.name", "navigating from " + id + " to " + t + " needs the route \"" + id + "\": [\"" + t
              + "\"] in the routing_model");
        }
      }
    }
  }
}
