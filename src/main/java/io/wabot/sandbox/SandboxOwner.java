package io.wabot.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.common.CustomerIds;
import io.wabot.config.AppConfig;
import java.util.LinkedList;
import java.util.List;
import java.util.Optional;
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
  private static final Pattern USERNAME = Pattern.compile("@[A-Za-z0-9._]{3,30}");

  private final Vertx vertx;
  private final AppConfig config;
  private final GraphApiSimulator graph;
  private final String origin;
  private final SandboxState state = new SandboxState();
  private CustomerSimulator customers;
  private AccountSimulator account;
  /** The bot's latest alert events, newest last: the page's "Meta events" panel shows them. */
  private final LinkedList<Object> alerts = new LinkedList<>();
  private Optional<SandboxFlows> flows = Optional.empty();
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
    customers = new CustomerSimulator(vertx, config, graph.media());
    account = new AccountSimulator(config, customers);
    flows = SandboxFlows.create(vertx, config, graph, new SandboxFlows.Chat() {
      @Override
      public JsonObject entry(String wamid) {
        return state.entry(wamid);
      }

      @Override
      public void trace(String customer, String correlationId, String name, String level, String text, JsonObject fields) {
        addTrace(customer, correlationId, name, level, text, fields);
      }

      @Override
      public Future<JsonObject> completion(SandboxState.Customer customer, String flowMessageWamid, JsonObject responseJson) {
        String wamid = customers.newWamid();
        return post(customer, wamid, customers.message(customer, wamid, new JsonObject().put("type", "flow_reply")
            .put("response", responseJson).put("context", flowMessageWamid)));
      }
    });
    String seat = SandboxVerticle.agentNumber(config);
    if (seat != null) {
      // a BSUID of its own that stays the same across restarts, so the alias map links it to one conversation key
      String bsuid = CustomerSimulator.countryOf(seat) + ".AGENT" + seat;
      state.setAgent(new SandboxState.Customer(seat, SandboxVerticle.AGENT_NAME, config.conversation().defaultLocale(), seat,
          bsuid, null));
    }
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
    flows.ifPresent(SandboxFlows::close);
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
        // the message it answers, so the page can tell a late indicator from a current one
        publish("typing", new JsonObject().put("customer", customer).put("on", true).put("wamid", messageId));
      }
      return;
    }
    SandboxState.Customer recipient = state.customer(accepted.recipient());
    if (recipient == null) {
      // someone the page did not add (a number a flow messages on its own): shown as a chat of its own
      String address = accepted.recipient();
      String name = address;
      boolean bsuid = CustomerIds.isAnyBsuid(address);
      recipient = state.addCustomer(new SandboxState.Customer(address, name, "en", bsuid ? null : CustomerIds.phone(address),
          bsuid ? address : CustomerSimulator.newBsuid("US"), null));
      publish("customer", recipient.toJson());
    }
    SandboxState.Customer customer = recipient;
    JsonObject entry = state.addEntry(customer.id(), "bot", accepted.wamid(), accepted.body(), accepted.at().toEpochMilli());
    publish("message", entry);
    if (accepted.undeliverable()) {
      // Meta answers 200 with a wamid and never delivers: the chat shows it, and why, but no ticks.
      addTrace(customer.id(), accepted.wamid(), "graph.undeliverable", "warn", "Accepted with a wamid but never delivered:"
          + " a business-scoped user id was sent in \"to\"; it belongs in \"recipient\"");
      return;
    }
    // Meta reports each message's progress; the bot stores these statuses through its webhook.
    String callbackData = accepted.body().getString("biz_opaque_callback_data");
    customers.status(customer, accepted.wamid(), "sent", callbackData)
        .onComplete(sent -> vertx.setTimer(150, t -> customers.status(customer, accepted.wamid(), "delivered", callbackData)));
  }

  /** A step in the page's "under the hood" panel that no log event of the bot tells (Meta's side of things). */
  private void addTrace(String customer, String correlationId, String name, String level, String text) {
    addTrace(customer, correlationId, name, level, text, null);
  }

  private void addTrace(String customer, String correlationId, String name, String level, String text, JsonObject fields) {
    JsonObject trace = new JsonObject().put("correlationId", correlationId).put("name", name).put("level", level)
        .put("at", System.currentTimeMillis()).put("text", text).put("customer", customer);
    if (fields != null) {
      trace.put("fields", fields);
    }
    state.addTrace(trace);
    publish("trace", trace);
  }

  private static final int MAX_ALERTS = 20;

  /**
   * What the page's "Meta events" buttons make Meta send: {@code {"event": "staff_reply", "customer",
   * "text"}} (a person answers from the WhatsApp Business app), or an account event of
   * {@link AccountSimulator#EVENTS}. A customer arriving from an ad is a message ({@code "type": "ad"}).
   */
  private Future<JsonObject> simulate(JsonObject body) {
    String event = body.getString("event", "");
    if (event.equals("staff_reply")) {
      SandboxState.Customer customer = existing(body.getString("customer"));
      String text = body.getString("text", "Hi, this is Maria from the shop. I'll take it from here!");
      String wamid = customers.newWamid();
      JsonObject message = new JsonObject().put("type", "text").put("text", new JsonObject().put("body", text))
          .put("staff", true);
      publish("message", state.addEntry(customer.id(), "bot", wamid, message, System.currentTimeMillis()));
      return customers.echo(customer, wamid, text).map(status -> new JsonObject().put("event", event).put("webhookStatus", status));
    }
    return account.emit(event).map(status -> new JsonObject().put("event", event).put("webhookStatus", status));
  }

  private void logEvent(JsonObject event) {
    if (event.getString("name", "").startsWith("alert.")) {
      alerts.addLast(event);
      if (alerts.size() > MAX_ALERTS) {
        alerts.removeFirst();
      }
      publish("alert", event);
      return;
    }
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
        case "state" -> request.reply(state.snapshot(config.whatsapp().phoneNumberId()).put("alerts", new JsonArray(alerts)));
        case "addCustomer" -> request.reply(addCustomer(body));
        case "send" -> send(body).onSuccess(request::reply).onFailure(e -> request.fail(502, e.getMessage()));
        case "changeNumber" -> changeNumber(body).onSuccess(request::reply).onFailure(e -> request.fail(502, e.getMessage()));
        case "conversation" -> request.reply(conversation(body.getString("customer")));
        case "flow" -> flow(body).onSuccess(request::reply)
            .onFailure(e -> request.fail(e instanceof IllegalArgumentException ? 400 : 502, e.getMessage()));
        case "read" -> request.reply(markRead(body.getString("customer"), body.getString("wamid")));
        case "faults" -> request.reply(new JsonObject().put("faults", graph.faults()));
        case "mediaFile" -> mediaFile(request, body.getString("id"));
        case "addFault" -> request.reply(new JsonObject().put("id", addFault(body)));
        case "simulate" -> simulate(body).onSuccess(request::reply).onFailure(e -> request.fail(502, e.getMessage()));
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

  /**
   * Where this node's simulator keeps a media file (a customer's, or one the bot uploaded), for the page to
   * show it. Clustered, a file another node's sender uploaded is in that node's simulator: 404 here.
   */
  private void mediaFile(Message<JsonObject> request, String id) {
    java.nio.file.Path file = id == null || !id.matches("\\d{1,18}") ? null : graph.media().file(id);
    if (file == null) {
      request.fail(404, "no media " + id);
      return;
    }
    request.reply(new JsonObject().put("path", file.toString()).put("mimeType", graph.media().mimeType(id)));
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

  /**
   * {@code {"name", "number", "locale"}}: a customer who shares their phone number (and has a BSUID, as
   * every customer does). {@code {"name", "phoneHidden": true, "username", "country", "locale"}}: a
   * customer with a username whose number is hidden, known to the bot by BSUID only.
   */
  private JsonObject addCustomer(JsonObject body) {
    String name = body.getString("name", "").trim();
    if (name.isEmpty() || name.length() > 60) {
      throw new IllegalArgumentException("name must be 1 to 60 characters");
    }
    String locale = body.getString("locale", "en");
    SandboxState.Customer customer;
    if (Boolean.TRUE.equals(body.getValue("phoneHidden"))) {
      String username = body.getString("username", "").trim();
      username = username.startsWith("@") ? username : "@" + username;
      if (!USERNAME.matcher(username).matches()) {
        throw new IllegalArgumentException("username must be @ and 3 to 30 letters, digits, dots or underscores, e.g. @ana.lopez");
      }
      String country = body.getString("country", "US").toUpperCase(java.util.Locale.ROOT);
      if (!country.matches("[A-Z]{2}")) {
        throw new IllegalArgumentException("country must be a two-letter ISO code, e.g. MX");
      }
      String bsuid = CustomerSimulator.newBsuid(country);
      customer = new SandboxState.Customer(bsuid, name, locale, null, bsuid, username);
    } else {
      String number = body.getString("number", "").replaceAll("[\\s+()-]", "");
      if (!NUMBER.matcher(number).matches()) {
        throw new IllegalArgumentException("number must be 8 to 15 digits with the country code, e.g. 5215512345678");
      }
      customer = new SandboxState.Customer(number, name, locale, number,
          CustomerSimulator.newBsuid(CustomerSimulator.countryOf(number)), null);
    }
    JsonObject json = state.addCustomer(customer).toJson();
    publish("customer", json);
    return json;
  }

  /**
   * The customer changes phone number, which gives them a new BSUID: {@code {"number": "<new digits>"}}
   * when the new number may be shared, no number when they keep it hidden. The bot hears it as Meta
   * says it (a {@code user_changed_number} or {@code user_changed_user_id} system message) and must
   * keep the conversation; the customer then writes from the new ids.
   */
  private Future<JsonObject> changeNumber(JsonObject body) {
    SandboxState.Customer before = existing(body.getString("customer"));
    String number = body.getString("number");
    String phone = null;
    if (number != null && !number.isBlank()) {
      phone = number.replaceAll("[\\s+()-]", "");
      if (!NUMBER.matcher(phone).matches()) {
        throw new IllegalArgumentException("number must be 8 to 15 digits with the country code, e.g. 5215512345678");
      }
    } else if (before.phone() != null) {
      throw new IllegalArgumentException("a customer who shares their number changes to a new number: send {\"number\"}");
    }
    String country = CustomerIds.country(before.bsuid());
    SandboxState.Customer after = before.withIds(phone, CustomerSimulator.newBsuid(country == null ? "US" : country));
    String wamid = customers.newWamid();
    JsonObject message = customers.identityChange(before, after, wamid);
    state.addCustomer(after);
    publish("customer", after.toJson());
    return post(before, wamid, message).map(posted -> posted.put("customer", after.toJson()));
  }

  private SandboxState.Customer existing(String id) {
    SandboxState.Customer customer = id == null ? null : state.customer(id);
    if (customer == null) {
      throw new IllegalArgumentException("no customer " + id + "; add one first");
    }
    return customer;
  }

  /** A step of a WhatsApp Flow the customer has open ({@link SandboxFlows#step}). */
  private Future<JsonObject> flow(JsonObject body) {
    SandboxState.Customer customer = existing(body.getString("customer"));
    return flows.map(f -> f.step(customer, body)).orElseGet(() -> Future.failedFuture(new IllegalArgumentException(
        "WhatsApp Flows are off: set WHATSAPP_FLOWS_PRIVATE_KEY (the sandbox makes a throwaway key when it is unset)")));
  }

  private Future<JsonObject> send(JsonObject body) {
    SandboxState.Customer customer = existing(body.getString("customer"));
    String wamid = customers.newWamid();
    return post(customer, wamid, customers.message(customer, wamid, body.getJsonObject("message", new JsonObject())));
  }

  /** Shows what the customer's phone sent in their chat, POSTs it to the bot's webhook and shows the outcome. */
  private Future<JsonObject> post(SandboxState.Customer customer, String wamid, JsonObject message) {
    String number = customer.id();
    JsonObject entry = state.addEntry(number, "customer", wamid, message, System.currentTimeMillis());
    publish("message", entry);
    long started = System.nanoTime();
    return customers.deliver(customer, message).map(status -> {
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
    SandboxState.Customer customer = existing(number);
    JsonArray lines = new JsonArray();
    for (JsonObject entry : state.transcript(customer.id())) {
      lines.add(entry.copy().put("text", Transcripts.describe(entry)));
    }
    return new JsonObject().put("customer", customer.toJson()).put("entries", lines);
  }

  private JsonObject markRead(String number, String wamid) {
    JsonObject entry = state.entry(wamid);
    if (entry == null || !"bot".equals(entry.getString("from"))) {
      throw new IllegalArgumentException("no bot message " + wamid);
    }
    if (state.setStatus(wamid, "read")) {
      customers.status(existing(number), wamid, "read", entry.getJsonObject("message", new JsonObject())
          .getString("biz_opaque_callback_data"));
    }
    return new JsonObject().put("wamid", wamid).put("status", entry.getString("status"));
  }
}
