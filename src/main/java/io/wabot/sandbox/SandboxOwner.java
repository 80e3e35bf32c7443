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
import io.wabot.config.NumberConfig;
import io.wabot.numbers.BusinessNumbers;
import java.util.ArrayList;
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
 *
 * <p>Every chat is a customer with one business number ({@link SandboxState.Chat}): the API's
 * {@code business} (a number's name or {@code phone_number_id}; the default number when absent) says
 * which, the customer's messages go to that number's webhook, signed with its app's secret, and the
 * replies each number's sender makes land in that number's chat.
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

  /**
   * The numbers served now, looked up per use (a reload replaces them). Never at start: the registry is made by
   * its first caller, and the sandbox starts before the application has finished its configuration (the
   * simulated agent number goes into each number's settings after the simulator is up).
   */
  private BusinessNumbers numbers() {
    return BusinessNumbers.of(vertx, config.whatsapp());
  }

  Future<Void> start() {
    customers = new CustomerSimulator(vertx, config, graph.media());
    account = new AccountSimulator(customers);
    flows = SandboxFlows.create(vertx, config, graph, new SandboxFlows.Chat() {
      @Override
      public JsonObject entry(String wamid) {
        return state.entry(wamid);
      }

      @Override
      public void trace(String customer, String correlationId, String name, String level, String text, JsonObject fields) {
        addTrace(chatOf(correlationId, customer), correlationId, name, level, text, fields);
      }

      @Override
      public Future<JsonObject> completion(SandboxState.Customer customer, String flowMessageWamid, JsonObject responseJson) {
        // the form goes back to the number whose message opened it
        SandboxState.Chat chat = chatOf(flowMessageWamid, customer.id());
        String wamid = customers.newWamid();
        return post(business(chat.business()), customer, wamid, customers.message(customer, wamid, new JsonObject()
            .put("type", "flow_reply").put("response", responseJson).put("context", flowMessageWamid)));
      }
    });
    String seat = SandboxVerticle.agentNumber(config);
    if (seat != null) {
      // a BSUID of its own that stays the same across restarts, so the alias map links it to one conversation key
      String bsuid = CustomerSimulator.countryOf(seat) + ".AGENT" + seat;
      state.setAgent(new SandboxState.Customer(seat, SandboxVerticle.AGENT_NAME, config.conversation().defaultLocale(), seat,
          bsuid, null));
      // the seat hears from every number that hands off to it: one chat per number
      config.whatsapp().numbers().forEach(n -> state.openChat(new SandboxState.Chat(n.phoneNumberId(), seat)));
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
      SandboxState.Chat chat = state.chatOf(messageId);
      if (state.setStatus(messageId, "read")) {
        publish("status", chat.toJson().put("wamid", messageId).put("status", "read"));
      }
      if (accepted.body().containsKey("typing_indicator")) {
        // the message it answers, so the page can tell a late indicator from a current one
        publish("typing", chat.toJson().put("on", true).put("wamid", messageId));
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
    }
    SandboxState.Customer customer = recipient;
    // the chat with the number that sent it (the simulator's path says which); an old sender's: the default number's
    SandboxState.Chat chat = new SandboxState.Chat(accepted.number() == null ? numbers().defaultNumber().phoneNumberId()
        : accepted.number(), customer.id());
    openChat(chat);
    JsonObject entry = state.addEntry(chat, "bot", accepted.wamid(), accepted.body(), accepted.at().toEpochMilli());
    publish("message", entry);
    if (accepted.undeliverable()) {
      // Meta answers 200 with a wamid and never delivers: the chat shows it, and why, but no ticks.
      addTrace(chat, accepted.wamid(), "graph.undeliverable", "warn", "Accepted with a wamid but never delivered:"
          + " a business-scoped user id was sent in \"to\"; it belongs in \"recipient\"", null);
      return;
    }
    Optional<NumberConfig> business = numbers().find(chat.business());
    if (business.isEmpty()) {
      return; // a number a reload removed: nobody reports its statuses any more
    }
    // Meta reports each message's progress to the number's webhook; the bot stores these statuses through it.
    String callbackData = accepted.body().getString("biz_opaque_callback_data");
    customers.status(business.get(), customer, accepted.wamid(), "sent", callbackData).onComplete(sent -> vertx.setTimer(150,
        t -> customers.status(business.get(), customer, accepted.wamid(), "delivered", callbackData)));
  }

  /** Starts a chat the page did not know, and tells the page (the customer with the number of their new chat). */
  private void openChat(SandboxState.Chat chat) {
    if (state.openChat(chat)) {
      SandboxState.Customer customer = state.customer(chat.customer());
      publish("customer", customer.toJson().put("business", chat.business()));
    }
  }

  /**
   * The chat a message (or the work it started) belongs to: the chat holding {@code wamid}, else the customer's
   * chat with the default number.
   */
  private SandboxState.Chat chatOf(String wamid, String customer) {
    SandboxState.Chat chat = state.chatOfCorrelation(wamid);
    chat = chat != null ? chat : state.chatOf(wamid);
    return chat != null ? chat : new SandboxState.Chat(numbers().defaultNumber().phoneNumberId(), customer);
  }

  /**
   * The business number a request names ({@code business}: its name, case aside, or its {@code phone_number_id});
   * the default number when it names none.
   *
   * @throws IllegalArgumentException naming the numbers served, when it names another
   */
  NumberConfig business(String nameOrId) {
    if (nameOrId == null || nameOrId.isBlank()) {
      return numbers().defaultNumber();
    }
    String wanted = nameOrId.trim();
    return numbers().named(wanted).orElseThrow(() -> new IllegalArgumentException("no business number \"" + wanted + "\"; the sandbox"
            + " serves " + String.join(", ", numbers().all().stream().map(n -> n.label() + " (" + n.phoneNumberId() + ")")
            .toList())));
  }

  /** The numbers as the page lists them, the default first: id, name (its label) and the business name customers see. */
  private JsonArray numbersJson() {
    JsonArray list = new JsonArray();
    for (NumberConfig n : numbers().all()) {
      list.add(new JsonObject().put("phoneNumberId", n.phoneNumberId()).put("name", n.label())
          .put("businessName", n.conversation().businessName()));
    }
    return list;
  }

  /** A step in the page's "under the hood" panel that no log event of the bot tells (Meta's side of things). */
  private void addTrace(SandboxState.Chat chat, String correlationId, String name, String level, String text,
      JsonObject fields) {
    JsonObject trace = new JsonObject().put("correlationId", correlationId).put("name", name).put("level", level)
        .put("at", System.currentTimeMillis()).put("text", text).put("customer", chat.customer())
        .put("business", chat.business());
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
    NumberConfig business = business(body.getString("business"));
    if (event.equals("staff_reply")) {
      SandboxState.Customer customer = existing(body.getString("customer"));
      String text = body.getString("text", "Hi, this is Maria from the shop. I'll take it from here!");
      String wamid = customers.newWamid();
      JsonObject message = new JsonObject().put("type", "text").put("text", new JsonObject().put("body", text))
          .put("staff", true);
      SandboxState.Chat chat = new SandboxState.Chat(business.phoneNumberId(), customer.id());
      openChat(chat);
      publish("message", state.addEntry(chat, "bot", wamid, message, System.currentTimeMillis()));
      return customers.echo(business, customer, wamid, text)
          .map(status -> new JsonObject().put("event", event).put("webhookStatus", status));
    }
    return account.emit(business, event).map(status -> new JsonObject().put("event", event).put("webhookStatus", status));
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
    SandboxState.Chat chat = state.chatOfCorrelation(event.getString("correlationId"));
    if (chat != null) {
      JsonObject trace = event.copy().put("customer", chat.customer()).put("business", chat.business());
      state.addTrace(trace);
      publish("trace", trace);
    }
  }

  // ---- the page's API ----------------------------------------------------------------------------

  private void api(Message<JsonObject> request) {
    JsonObject body = request.body() == null ? new JsonObject() : request.body();
    try {
      switch (request.headers().get("action")) {
        case "state" -> request.reply(state.snapshot(numbersJson()).put("alerts", new JsonArray(alerts)));
        case "addCustomer" -> request.reply(addCustomer(body));
        case "send" -> send(body).onSuccess(request::reply).onFailure(e -> request.fail(502, e.getMessage()));
        case "changeNumber" -> changeNumber(body).onSuccess(request::reply).onFailure(e -> request.fail(502, e.getMessage()));
        case "conversation" -> request.reply(conversation(body.getString("customer"), body.getString("business")));
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
   * customer with a username whose number is hidden, known to the bot by BSUID only. The customer's chat
   * is with the {@code business} number; a number the page knows already is the same person starting a
   * chat with that business number too (the name may then be left out).
   */
  private JsonObject addCustomer(JsonObject body) {
    NumberConfig business = business(body.getString("business"));
    String number = body.getString("number", "").replaceAll("[\\s+()-]", "");
    SandboxState.Customer known = Boolean.TRUE.equals(body.getValue("phoneHidden")) || number.isEmpty() ? null
        : state.withPhone(number);
    if (known != null) {
      SandboxState.Chat chat = new SandboxState.Chat(business.phoneNumberId(), known.id());
      state.openChat(chat);
      JsonObject json = known.toJson().put("business", chat.business());
      publish("customer", json);
      return json;
    }
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
      if (!NUMBER.matcher(number).matches()) {
        throw new IllegalArgumentException("number must be 8 to 15 digits with the country code, e.g. 5215512345678");
      }
      customer = new SandboxState.Customer(number, name, locale, number,
          CustomerSimulator.newBsuid(CustomerSimulator.countryOf(number)), null);
    }
    state.addCustomer(customer);
    SandboxState.Chat chat = new SandboxState.Chat(business.phoneNumberId(), customer.id());
    state.openChat(chat);
    JsonObject json = customer.toJson().put("business", chat.business());
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
    NumberConfig business = business(body.getString("business"));
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
    state.addCustomer(after);
    publish("customer", after.toJson());
    // WhatsApp tells every business number the customer talks to: each conversation follows the new ids
    List<String> others = new ArrayList<>(state.businessesOf(before.id()));
    others.remove(business.phoneNumberId());
    String wamid = customers.newWamid();
    Future<JsonObject> answer = post(business, before, wamid, customers.identityChange(before, after, wamid));
    List<Future<JsonObject>> all = new ArrayList<>(List.of(answer));
    for (String other : others) {
      numbers().find(other).ifPresent(n -> {
        String otherWamid = customers.newWamid();
        all.add(post(n, before, otherWamid, customers.identityChange(before, after, otherWamid)));
      });
    }
    return Future.all(all).compose(done -> answer).map(posted -> posted.put("customer", after.toJson()));
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
    NumberConfig business = business(body.getString("business"));
    SandboxState.Customer customer = existing(body.getString("customer"));
    String wamid = customers.newWamid();
    return post(business, customer, wamid, customers.message(customer, wamid, body.getJsonObject("message", new JsonObject())));
  }

  /**
   * Shows what the customer's phone sent in their chat with the business number (started if new), POSTs it to
   * the bot's webhook as addressed to that number and shows the outcome.
   */
  private Future<JsonObject> post(NumberConfig business, SandboxState.Customer customer, String wamid, JsonObject message) {
    SandboxState.Chat chat = new SandboxState.Chat(business.phoneNumberId(), customer.id());
    openChat(chat);
    JsonObject entry = state.addEntry(chat, "customer", wamid, message, System.currentTimeMillis());
    publish("message", entry);
    long started = System.nanoTime();
    return customers.deliver(business, customer, message).map(status -> {
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      String outcome = status == 200 ? "delivered" : "failed";
      state.setStatus(wamid, outcome);
      publish("status", chat.toJson().put("wamid", wamid).put("status", outcome));
      logEvent(new JsonObject().put("correlationId", wamid).put("name", "sandbox.webhook_posted")
          .put("level", status == 200 ? "info" : "warn").put("at", entry.getLong("at"))
          .put("text", "Signed webhook POSTed to /webhook: HTTP " + status + " in " + tookMs + " ms"));
      return new JsonObject().put("entry", state.entry(wamid)).put("webhookStatus", status).put("webhookMs", tookMs);
    });
  }

  private JsonObject conversation(String number, String businessName) {
    NumberConfig business = business(businessName);
    SandboxState.Customer customer = existing(number);
    JsonArray lines = new JsonArray();
    for (JsonObject entry : state.transcript(new SandboxState.Chat(business.phoneNumberId(), customer.id()))) {
      lines.add(entry.copy().put("text", Transcripts.describe(entry)));
    }
    return new JsonObject().put("customer", customer.toJson()).put("business", business.phoneNumberId())
        .put("businessName", business.label()).put("entries", lines);
  }

  private JsonObject markRead(String number, String wamid) {
    JsonObject entry = state.entry(wamid);
    if (entry == null || !"bot".equals(entry.getString("from"))) {
      throw new IllegalArgumentException("no bot message " + wamid);
    }
    // the read report goes to the number that sent the message
    Optional<NumberConfig> business = numbers().find(entry.getString("business"));
    if (state.setStatus(wamid, "read") && business.isPresent()) {
      customers.status(business.get(), existing(number), wamid, "read", entry.getJsonObject("message", new JsonObject())
          .getString("biz_opaque_callback_data"));
    }
    return new JsonObject().put("wamid", wamid).put("status", entry.getString("status"));
  }
}
