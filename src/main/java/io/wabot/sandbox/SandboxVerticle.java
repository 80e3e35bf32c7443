package io.wabot.sandbox;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.config.AppConfig;
import io.wabot.observability.Events;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * Sandbox mode ({@code SANDBOX=true}): runs the {@link GraphApiSimulator} in place of Meta on a
 * loopback port the sender is pointed at, plays the customers' side of the webhook, and keeps what
 * the chat page at {@code /sandbox} shows. The page talks to it through {@link SandboxRoutes} over the
 * event bus, so every HTTP instance (and, clustered, every node) serves the page.
 */
public final class SandboxVerticle extends VerticleBase {

  /** Requests from {@link SandboxRoutes}; header {@code action} names the operation. */
  public static final String API_ADDRESS = "wabot.sandbox.api";
  /** Everything the page should see, published as {@code {"event": name, "data": {...}}}. */
  public static final String STREAM_ADDRESS = "wabot.sandbox.stream";

  /** The simulated sales team's WhatsApp number: hand-offs reach it when no escalation channel is set. */
  public static final String AGENT_NUMBER = "15550001234";

  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(SandboxVerticle.class);
  private static final Pattern NUMBER = Pattern.compile("\\d{8,15}");

  private final AppConfig config;
  private SandboxState state;
  private CustomerSimulator customers;
  private GraphApiSimulator graph;
  private EventTap tap;
  private String graphBaseUrl;

  public SandboxVerticle(AppConfig config) {
    this.config = config;
  }

  /** The simulator's {@code http://127.0.0.1:<port>}: the Graph API base URL the sender uses in sandbox mode. */
  public String graphBaseUrl() {
    return graphBaseUrl;
  }

  @Override
  public Future<?> start() {
    state = new SandboxState();
    customers = new CustomerSimulator(vertx, config);
    graph = new GraphApiSimulator(vertx, config.whatsapp().accessToken().value(), config.whatsapp().phoneNumberId());
    graph.onAccepted(accepted -> context.runOnContext(v -> botSent(accepted)));
    vertx.eventBus().<JsonObject>consumer(EventTap.ADDRESS, message -> logEvent(message.body()));
    vertx.eventBus().<JsonObject>consumer(API_ADDRESS, this::api);
    tap = new EventTap(vertx.eventBus());
    tap.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    tap.start();
    root().addAppender(tap);
    return graph.listen("127.0.0.1", 0).map(port -> {
      graphBaseUrl = "http://127.0.0.1:" + port;
      banner();
      Events.warn(LOG, "sandbox.enabled").addKeyValue("graph_simulator", graphBaseUrl).log(
          "SANDBOX MODE: replies go to a Graph API simulator, not to WhatsApp. Never run this in production."
              + " Chat with the bot at http://localhost:{}/sandbox", config.http().port());
      return graphBaseUrl;
    });
  }

  /** Besides the log event, a banner nobody can miss in a terminal or a container's log. */
  private void banner() {
    String line = "!".repeat(78);
    System.err.println(line + "\n!!  SANDBOX MODE: the bot talks to a built-in Graph API simulator, not to WhatsApp.\n"
        + "!!  Never run this in production (unset SANDBOX). Chat: http://localhost:" + config.http().port() + "/sandbox\n" + line);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private void publish(String event, JsonObject data) {
    vertx.eventBus().publish(STREAM_ADDRESS, new JsonObject().put("event", event).put("data", data));
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
      String name = customer.equals(AGENT_NUMBER) ? "Sales team (agent)" : "+" + customer;
      publish("customer", state.addCustomer(new SandboxState.Customer(customer, name, "en")).toJson());
    }
    JsonObject entry = state.addEntry(customer, "bot", accepted.wamid(), accepted.body(), accepted.at().toEpochMilli());
    publish("message", entry);
    // Meta reports each message's progress; the bot stores these statuses through its webhook.
    customers.status(customer, accepted.wamid(), "sent")
        .onComplete(sent -> vertx.setTimer(150, t -> customers.status(customer, accepted.wamid(), "delivered")));
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
        case "addFault" -> request.reply(new JsonObject().put("id", graph.inject(SimulatedFault.fromJson(body))));
        case "clearFaults" -> {
          graph.clearFaults();
          request.reply(new JsonObject().put("faults", new JsonArray()));
        }
        default -> request.fail(404, "unknown action");
      }
    } catch (IllegalArgumentException e) {
      request.fail(400, e.getMessage());
    }
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
      customers.status(number, wamid, "read");
    }
    return new JsonObject().put("wamid", wamid).put("status", entry.getString("status"));
  }

  @Override
  public Future<?> stop() {
    if (tap != null) {
      root().detachAppender(tap);
      tap.stop();
    }
    if (customers != null) {
      customers.close();
    }
    return graph == null ? Future.succeededFuture() : graph.close();
  }
}
