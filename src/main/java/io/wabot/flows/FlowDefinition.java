package io.wabot.flows;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One validated Flow JSON file of {@code conf/flows}: what the endpoint checks requests and answers
 * against, and what {@code scripts/flows-publish} uploads.
 *
 * @param name         the file's name without {@code .json}: the flow's name on the account and in flow tokens
 * @param source       where it was read from, for messages
 * @param json         the Flow JSON as written
 * @param screens      the screen ids, in file order
 * @param routes       {@code routing_model}: screen → the screens it may lead to (empty without an endpoint)
 * @param usesEndpoint whether it declares a {@code data_api_version}, i.e. talks to {@code POST /flows}
 */
public record FlowDefinition(String name, String source, JsonObject json, List<String> screens,
    Map<String, List<String>> routes, boolean usesEndpoint) {

  public FlowDefinition {
    screens = List.copyOf(screens);
    routes = Map.copyOf(routes);
  }

  public boolean hasScreen(String screen) {
    return screen != null && screens.contains(screen);
  }

  /**
   * Whether an answer may show {@code next} to a customer who is on {@code current} (null when the flow
   * was just opened): any screen of the flow at first, then the same screen (an error shown on it) or
   * one its routes lead to.
   */
  public boolean allowsTransition(String current, String next) {
    if (!hasScreen(next)) {
      return false;
    }
    if (current == null || current.equals(next)) {
      return true;
    }
    return Set.copyOf(routes.getOrDefault(current, List.of())).contains(next);
  }
}
