package io.wabot.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wabot.config.AppConfig;
import io.wabot.flows.FlowDefinition;
import io.wabot.flows.FlowDefinitions;
import java.util.Optional;

/**
 * The customer's phone for WhatsApp Flows in the sandbox: the page renders the flow a bot message
 * opens as a form (its screens come from {@code conf/flows}), and every step goes to the bot's real
 * {@code POST /flows} through the {@link FlowsClientSimulator}, encrypted with the bot's public key and
 * signed as Meta's client would. Each exchange is a step of the flow message's trace in "Under the
 * hood" (what was sent and answered, decrypted). When the endpoint closes the flow, or a screen's
 * {@code complete} action ends it, the customer's phone sends the completion ({@code nfm_reply}) to
 * the chat through the webhook, as WhatsApp does.
 */
final class SandboxFlows {

  /** How the sandbox's owner shows a step and sends the completion. */
  interface Chat {
    JsonObject entry(String wamid);

    void trace(String customer, String correlationId, String name, String level, String text, JsonObject fields);

    /** Sends the completion as the customer's message; the future holds the page's usual send result. */
    Future<JsonObject> completion(SandboxState.Customer customer, String flowMessageWamid, JsonObject responseJson);
  }

  private final FlowsClientSimulator client;
  private final Future<FlowDefinitions> definitions;
  private final Chat chat;

  private SandboxFlows(FlowsClientSimulator client, Future<FlowDefinitions> definitions, Chat chat) {
    this.client = client;
    this.definitions = definitions;
    this.chat = chat;
  }

  /** Empty when {@code /flows} is off (no key): the page then shows the flow button disabled. */
  static Optional<SandboxFlows> create(Vertx vertx, AppConfig config, GraphApiSimulator graph, Chat chat) {
    if (!config.flows().enabled()) {
      return Optional.empty();
    }
    FlowsClientSimulator client = graph.flowsClient("http://127.0.0.1:" + config.http().port(),
        config.whatsapp().appSecret().value());
    return Optional.of(new SandboxFlows(client, FlowDefinitions.load(vertx, config.flows().definitionsDir()), chat));
  }

  void close() {
    client.close();
  }

  /**
   * {@code {"wamid": <the flow message>, "action": "open" | "data_exchange" | "back" | "complete", "screen", "data"}}.
   * Answers {@code {"status", "screen", "data", "errorMessage", "closed", "message", "definition"?}}.
   */
  Future<JsonObject> step(SandboxState.Customer customer, JsonObject body) {
    String wamid = body.getString("wamid");
    JsonObject entry = wamid == null ? null : chat.entry(wamid);
    JsonObject interactive = entry == null ? null : entry.getJsonObject("message", new JsonObject()).getJsonObject("interactive");
    if (interactive == null || !"flow".equals(interactive.getString("type")) || !"bot".equals(entry.getString("from"))) {
      throw new IllegalArgumentException("no flow message " + wamid);
    }
    JsonObject parameters = interactive.getJsonObject("action", new JsonObject()).getJsonObject("parameters", new JsonObject());
    String token = parameters.getString("flow_token");
    String action = body.getString("action", "");
    String screen = body.getString("screen");
    JsonObject data = body.getJsonObject("data", new JsonObject());
    return switch (action) {
      case "open" -> open(customer, wamid, parameters);
      case "data_exchange" -> exchange(customer, wamid, client.dataExchange(token, screen, data), "data_exchange " + screen);
      case "back" -> exchange(customer, wamid, client.back(token, screen), "BACK to " + screen);
      case "complete" -> complete(customer, wamid, data.copy().put("flow_token", token));
      default -> throw new IllegalArgumentException("action must be open, data_exchange, back or complete");
    };
  }

  private Future<JsonObject> open(SandboxState.Customer customer, String wamid, JsonObject parameters) {
    String name = parameters.getString("flow_name");
    return definitions.compose(all -> {
      Optional<FlowDefinition> definition = name == null ? Optional.empty() : all.get(name);
      if (definition.isEmpty()) {
        return Future.failedFuture(new IllegalArgumentException("the sandbox renders flows named by flow_name with a file in"
            + " conf/flows; this message opens " + (name == null ? "flow id " + parameters.getString("flow_id") : name)));
      }
      JsonObject json = definition.get().json();
      if (!"data_exchange".equals(parameters.getString("flow_action"))) {
        JsonObject payload = parameters.getJsonObject("flow_action_payload", new JsonObject());
        return Future.succeededFuture(new JsonObject().put("status", 200).put("definition", json)
            .put("screen", payload.getString("screen")).put("data", payload.getJsonObject("data", new JsonObject())));
      }
      return exchange(customer, wamid, client.init(parameters.getString("flow_token")), "INIT")
          .map(view -> view.put("definition", json));
    });
  }

  private Future<JsonObject> exchange(SandboxState.Customer customer, String wamid, Future<FlowsClientSimulator.Exchange> sent,
      String what) {
    long started = System.nanoTime();
    return sent.compose(exchange -> {
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      JsonObject answer = exchange.answer() == null ? new JsonObject() : exchange.answer();
      JsonObject data = exchange.data();
      JsonObject closing = data.getJsonObject("extension_message_response");
      String outcome = exchange.status() != 200 ? answer.getString("error_msg", "HTTP " + exchange.status())
          : closing != null ? "the flow closes" : "screen " + exchange.screen();
      chat.trace(customer.id(), wamid, "sandbox.flows_exchange", exchange.status() == 200 ? "info" : "warn",
          "Meta's client: POST /flows " + what + ", encrypted for the bot's public key and signed → HTTP "
              + exchange.status() + " in " + tookMs + " ms: " + outcome,
          new JsonObject().put("sent", exchange.request().encode()).put("answered", answer.encode()));
      JsonObject view = new JsonObject().put("status", exchange.status()).put("screen", exchange.screen())
          .put("data", data).put("errorMessage", data.getString("error_message"))
          .put("message", answer.getString("error_msg"));
      if (closing != null) {
        return complete(customer, wamid, closing.getJsonObject("params", new JsonObject())).map(done -> view.put("closed", true));
      }
      return Future.succeededFuture(view.put("closed", exchange.status() == 427));
    });
  }

  private Future<JsonObject> complete(SandboxState.Customer customer, String wamid, JsonObject responseJson) {
    return chat.completion(customer, wamid, responseJson).map(sent -> new JsonObject().put("status", 200).put("closed", true)
        .put("completion", sent));
  }
}
