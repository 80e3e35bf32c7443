package io.wabot.benchmark;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * The conversation every simulated customer holds, one step per message. A step either says a text or
 * taps an option (a reply button or a list row) whose id starts with a prefix, taken from the bot's
 * answer to the step before, as a person would. {@link #sales()} walks the example sales flow; a team
 * that replaces the flow gives its own steps in a file (see {@link #parse}).
 */
public record Script(List<Step> steps) {

  /** One message of the customer. */
  public record Step(String name, Kind kind, String value) {

    public enum Kind { SAY, TAP }

    /** Finds the option to tap in one of the bot's messages: {@code [id, title, "button"|"list"]}. */
    Optional<String[]> option(JsonObject message) {
      JsonObject interactive = message.getJsonObject("interactive");
      if (kind != Kind.TAP || interactive == null || interactive.getJsonObject("action") == null) {
        return Optional.empty();
      }
      JsonObject action = interactive.getJsonObject("action");
      for (Object b : action.getJsonArray("buttons", new JsonArray())) {
        JsonObject reply = ((JsonObject) b).getJsonObject("reply");
        if (reply != null && reply.getString("id", "").startsWith(value)) {
          return Optional.of(new String[] {reply.getString("id"), reply.getString("title"), "button"});
        }
      }
      for (Object s : action.getJsonArray("sections", new JsonArray())) {
        for (Object r : ((JsonObject) s).getJsonArray("rows", new JsonArray())) {
          JsonObject row = (JsonObject) r;
          if (row.getString("id", "").startsWith(value)) {
            return Optional.of(new String[] {row.getString("id"), row.getString("title"), "list"});
          }
        }
      }
      return Optional.empty();
    }
  }

  public Script {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a script needs at least one step");
    }
    if (steps.get(0).kind() == Step.Kind.TAP) {
      throw new IllegalArgumentException("a script starts with something said, not a tap (there is nothing to tap yet)");
    }
  }

  /**
   * The example sales representative: greeting, browse, a category, an item, a search, an item that is
   * out of stock, a request for a person, and back to the menu (which also ends the hand-off, so the
   * next round starts afresh).
   */
  public static Script sales() {
    return new Script(List.of(
        new Step("greeting", Step.Kind.SAY, "hi"),
        new Step("browse", Step.Kind.TAP, "sales:browse"),
        new Step("category", Step.Kind.TAP, "sales:cat:"),
        new Step("item", Step.Kind.TAP, "sales:item:"),
        new Step("search", Step.Kind.SAY, "earbuds"),
        new Step("out-of-stock", Step.Kind.TAP, "sales:item:AUD-002"),
        new Step("escalation", Step.Kind.SAY, "agent"),
        new Step("menu", Step.Kind.SAY, "menu")));
  }

  /**
   * A script from lines {@code name say TEXT} or {@code name tap ID-PREFIX}; blank lines and lines
   * starting with # are skipped.
   */
  public static Script parse(List<String> lines) {
    List<Step> steps = new java.util.ArrayList<>();
    int number = 0;
    for (String line : lines) {
      number++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] parts = trimmed.split("\\s+", 3);
      if (parts.length < 3 || !(parts[1].equals("say") || parts[1].equals("tap"))) {
        throw new IllegalArgumentException("line " + number + ": expected `NAME say TEXT` or `NAME tap ID-PREFIX`, got: " + trimmed);
      }
      steps.add(new Step(parts[0], parts[1].equals("say") ? Step.Kind.SAY : Step.Kind.TAP, parts[2]));
    }
    return new Script(List.copyOf(steps));
  }
}
