package io.wabot.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.config.AppConfig;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the chat page shows and does, kept by one node only: the customers, their transcripts and the
 * log events of their messages, and the customers' side of the webhook. It answers the page's API
 * ({@link SandboxVerticle#API_ADDRESS}) and publishes what the page should see on
 * {@link SandboxVerticle#STREAM_ADDRESS}, so the page works from every node.
 *
 * <p>Clustered, every node's sender talks to its own {@link GraphApiSimulator}; they all report the
 * replies they accept on {@link SandboxVerticle#ACCEPTED_ADDRESS} and their log events on
 * {@link EventTap#ADDRESS}, so this one transcript holds the whole conversation wherever each message
 * was answered. Faults injected through the page go to every node's simulator.
 */
final class SandboxOwner {

  private static final Pattern NUMBER = Pattern.compile("\\d{8,15}");

  private final Vertx vertx;
  private final AppConfig config;
  private final GraphApiSimulator graph;
  private final String origin;
  private final SandboxState state = new SandboxState();
  private CustomerSimulator customers;
  private List<MessageConsumer<JsonObject>> consumers = List.of();

  /**
   * @param graph  this node's simulator, whose faults the page lists
   * @param origin this node's sandbox id, so that its own fault broadcasts are not applied twice
   */
  SandboxOwner(Vertx vertx, AppConfig config, GraphApiSimulator graph, String origin) {
    this.vertx = vertx;
    this.config = config;
    this.graph = graph;
    this.origin = origin;
  }

  Future<Void> start() {
    customers = new CustomerSimulator(vertx, config);
    consumers = List.of(
        vertx.eventBus().<JsonObject>consumer(SandboxVerticle.API_ADDRESS, this::api),
        vertx.eventBus().<JsonObject>consumer(EventTap.ADDRESS, message -> logEvent(message.body())),
        vertx.eventBus().<JsonObject>consumer(SandboxVerticle.ACCEPTED_ADDRESS,
            message -> botSent(AcceptedMessage.fromJson(message.body()))));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  Future<Void> stop() {
    if (customers != null) {
      customers.close();
    }
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private void publish(String event, JsonObject data) {
    vertx.eventBus().publish(SandboxVerticle.STREAM_ADDRESS, new JsonObject().put("event", event).put("data", data));
  }

  // ---- the bot's side ----------------------------------------------------------------------------

  private void botSent(AcceptedMessage accepted) {
    if (accepted.isReadReceipt()) {
      String messageId = accepted.body().getString("message_id");
      JsonObject read = state.entry(messageId);
      if (read == null) {
        return;
      }
      String customer = read.getString("customer");
      if (state.setStatus(messageId, "read")) {
        publish("status", new JsonObject().put("customer", customer).put("wamid", messageId).put("status", "read"));
      }
      if (accepted.body().containsKey("typing_indicator")) {
        publish("typing", new JsonObject().put("customer", customer).put("on", true));
      }
      return;
    }
    String customer = accepted.recipient();
    if (state.customer(customer) == null) {
      // e.g. the sales team's agent number, notified of an escalation: shown as a chat of its own
      String name = customer.equals(SandboxVerticle.AGENT_NUMBER) ? "Sales team (agent)" : "+" + customer;
      publish("customer", state.addCustomer(new SandboxState.Customer(customer, name, "en")).toJson());
    }
    JsonObject entry = state.addEntry(customer, "bot", accepted.wamid(), accepted.body(), accepted.at().toEpochMilli());
    publish("message", entry);
    // Meta reports each message's progress; the bot stores these statuses through its webhook.
    String callbackData = accepted.body().getString("biz_opaque_callback_data");
    customers.status(customer, accepted.wamid(), "sent", callbackData)
        .onComplete(sent -> vertx.setTimer(150, t -> customers.status(customer, accepted.wamid(), "delivered", callbackData)));
  }

  private void logEvent(JsonObject event) {
    String customer = state.customerOfCorrelation(event.getString("correlationId"));
    if (customer != null) {
      JsonObject trace = event.copy().put("customer", customer);
      state.addTrace(trace);
      publish("trace", trace);
    }
  }

  // ---- the page's API ----------------------------------------------------------------------------

  private void api(Message<JsonObject> request) {
    JsonObject body = request.body() == null ? new JsonObject() : request.body();
    try {
      switch (request.headers().get("action")) {
        case "state" -> request.reply(state.snapshot(config.whatsapp().phoneNumberId()));
        case "addCustomer" -> request.reply(addCustomer(body));
        case "send" -> send(body).onSuccess(request::reply).onFailure(e -> request.fail(502, e.getMessage()));
        case "conversation" -> request.reply(conversation(body.getString("customer")));
        case "read" -> request.reply(markRead(body.getString("customer"), body.getString("wamid")));
        case "faults" -> request.reply(new JsonObject().put("faults", graph.faults()));
        case "addFault" -> request.reply(new JsonObject().put("id", addFault(body)));
        case "clearFaults" -> {
          clearFaults();
          request.reply(new JsonObject().put("faults", new JsonArray()));
        }
        default -> request.fail(404, "unknown action");
      }
    } catch (IllegalArgumentException e) {
      request.fail(400, e.getMessage());
    }
  }

  /** Injects the fault here (the id answered is this node's) and in every other node's simulator. */
  private String addFault(JsonObject body) {
    String id = graph.inject(SimulatedFault.fromJson(body));
    vertx.eventBus().publish(SandboxVerticle.FAULTS_ADDRESS, body, faultCommand("add"));
    return id;
  }

  private void clearFaults() {
    graph.clearFaults();
    vertx.eventBus().publish(SandboxVerticle.FAULTS_ADDRESS, new JsonObject(), faultCommand("clear"));
  }

  private DeliveryOptions faultCommand(String action) {
    return new DeliveryOptions().addHeader("action", action).addHeader("origin", origin);
  }

  private JsonObject addCustomer(JsonObject body) {
    String number = body.getString("number", "").replaceAll("[\\s+()-]", "");
    String name = body.getString("name", "").trim();
    if (!NUMBER.matcher(number).matches()) {
      throw new IllegalArgumentException("number must be 8 to 15 digits with the country code, e.g. 5215512345678");
    }
    if (name.isEmpty() || name.length() > 60) {
      throw new IllegalArgumentException("name must be 1 to 60 characters");
    }
    JsonObject customer = state.addCustomer(new SandboxState.Customer(number, name, body.getString("locale", "en"))).toJson();
    publish("customer", customer);
    return customer;
  }

  private Future<JsonObject> send(JsonObject body) {
    String number = body.getString("customer");
    SandboxState.Customer customer = state.customer(number);
    if (customer == null) {
      throw new IllegalArgumentException("no customer " + number + "; add one first");
    }
    String wamid = customers.newWamid();
    JsonObject message = customers.message(number, wamid, body.getJsonObject("message", new JsonObject()));
    JsonObject entry = state.addEntry(number, "customer", wamid, message, System.currentTimeMillis());
    publish("message", entry);
    long started = System.nanoTime();
    return customers.deliver(number, customer.name(), message).map(status -> {
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      String outcome = status == 200 ? "delivered" : "failed";
      state.setStatus(wamid, outcome);
      publish("status", new JsonObject().put("customer", number).put("wamid", wamid).put("status", outcome));
      logEvent(new JsonObject().put("correlationId", wamid).put("name", "sandbox.webhook_posted")
          .put("level", status == 200 ? "info" : "warn").put("at", entry.getLong("at"))
          .put("text", "Signed webhook POSTed to /webhook: HTTP " + status + " in " + tookMs + " ms"));
      return new JsonObject().put("entry", state.entry(wamid)).put("webhookStatus", status).put("webhookMs", tookMs);
    });
  }

  private JsonObject conversation(String number) {
    if (state.customer(number) == null) {
      throw new IllegalArgumentException("no customer " + number);
    }
    JsonArray lines = new JsonArray();
    for (JsonObject entry : state.transcript(number)) {
      lines.add(entry.copy().put("text", Transcripts.describe(entry)));
    }
    return new JsonObject().put("customer", state.customer(number).toJson()).put("entries", lines);
  }

  private JsonObject markRead(String number, String wamid) {
    JsonObject entry = state.entry(wamid);
    if (entry == null || !"bot".equals(entry.getString("from"))) {
      throw new IllegalArgumentException("no bot message " + wamid);
    }
    if (state.setStatus(wamid, "read")) {
      customers.status(number, wamid, "read", entry.getJsonObject("message", new JsonObject())
          .getString("biz_opaque_callback_data"));
    }
    return new JsonObject().put("wamid", wamid).put("status", entry.getString("status"));
  }
}
