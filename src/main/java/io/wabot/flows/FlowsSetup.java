package io.wabot.flows;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wabot.config.AppConfig;
import io.wabot.config.ConfigException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The flow definitions of {@code conf/flows} and, with {@code /flows} on, the handlers of
 * the bot ({@code Bot.flowEndpoints}), checked against each other: every flow that uses the endpoint has exactly one
 * handler and every handler a flow. {@code Main} runs it before starting, so a mismatch stops start-up.
 */
public record FlowsSetup(FlowDefinitions definitions, Map<String, FlowEndpointHandler> handlers) {

  /** {@code handlers}: the bot's handlers, asked for only when {@code /flows} is served. */
  public static Future<FlowsSetup> load(Vertx vertx, AppConfig config, Supplier<Future<List<FlowEndpointHandler>>> handlers) {
    return load(vertx, config, config.flows().enabled() ? handlers.get() : Future.succeededFuture(List.of()));
  }

  private static Future<FlowsSetup> load(Vertx vertx, AppConfig config, Future<List<FlowEndpointHandler>> handlers) {
    return FlowDefinitions.load(vertx, config.flows().definitionsDir())
        .compose(definitions -> handlers.map(list -> matched(definitions, list, config.flows().definitionsDir(),
            config.flows().enabled())));
  }

  /** The pure part, for tests; {@code endpointOn}: whether {@code /flows} is served, so flows need handlers. */
  static FlowsSetup matched(FlowDefinitions definitions, List<FlowEndpointHandler> handlers, String dir, boolean endpointOn) {
    List<String> problems = new ArrayList<>();
    Map<String, FlowEndpointHandler> byFlow = new HashMap<>();
    for (FlowEndpointHandler handler : handlers) {
      String who = "Bot.flowEndpoints: " + handler.getClass().getSimpleName();
      Optional<FlowDefinition> definition = definitions.get(handler.flowName());
      if (byFlow.putIfAbsent(handler.flowName(), handler) != null) {
        problems.add(who + " serves flow \"" + handler.flowName() + "\", which another handler serves already");
      } else if (definition.isEmpty()) {
        problems.add(who + " serves flow \"" + handler.flowName() + "\" but " + dir + "/" + handler.flowName()
            + ".json does not exist; add the Flow JSON or remove the handler");
      } else if (!definition.get().usesEndpoint()) {
        problems.add(definition.get().source() + ": has a handler (" + handler.getClass().getSimpleName()
            + ") but no data_api_version, so Meta never calls the endpoint for it; add \"data_api_version\": \"3.0\"");
      }
    }
    if (endpointOn) {
      definitions.all().stream().filter(d -> d.usesEndpoint() && !byFlow.containsKey(d.name()))
          .forEach(d -> problems.add(d.source() + ": uses the endpoint (data_api_version) but no handler in Bot.flowEndpoints"
              + " serves flow \"" + d.name() + "\"; add a FlowEndpointHandler for it"));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new FlowsSetup(definitions, Map.copyOf(byFlow));
  }
}
