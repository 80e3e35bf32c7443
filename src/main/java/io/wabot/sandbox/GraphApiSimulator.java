package io.wabot.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.wabot.common.CustomerIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A stand-in for the Graph API's messages endpoint ({@code POST /{version}/{phone-number-id}/messages})
 * that behaves like Meta's: it checks the bearer token (401, code 190 when wrong), rejects bodies that
 * are not WhatsApp messages (400, code 100), answers Meta's success bodies with fresh {@code wamid}s,
 * addresses customers by phone number in {@code to} or by business-scoped user id in {@code recipient}
 * (with {@code recipient_type: individual}), accepts a BSUID in {@code to} the way Meta does, with a
 * 200, while flagging it undeliverable ({@link RecordedRequest#undeliverable()}: Meta never delivers
 * it), and misbehaves on demand ({@link #inject}: rate limits with {@code Retry-After}, 24 h window and
 * template errors, 5xx, expired tokens, slow answers, no answer). A message's {@code biz_opaque_callback_data}
 * (at most 512 characters) is kept in its recorded body, for the status webhooks that echo it (the
 * sandbox page's, or a {@link StatusReporter}'s).
 *
 * <p>It serves the media endpoints too ({@link #media()}: metadata, download with the token, upload),
 * with Meta's error bodies.
 *
 * <p>It serves one business number or several, each with its own token (a number of another Meta app
 * has another token): a number's paths take only its own token, so a message sent from the wrong number,
 * or with the wrong number's token, is refused as Meta refuses it.
 *
 * <p>Every request is recorded with its arrival time and the number it was sent from ({@link #requests()},
 * {@link RecordedRequest#number()}, {@link #awaitRequests}), and every accepted one is handed to the
 * {@link #onAccepted} listeners. Tests, the sandbox mode and the
 * load benchmark use it; it is safe to call from any thread.
 */
public final class GraphApiSimulator {

  private static final Set<String> MESSAGE_TYPES = Set.of("text", "interactive", "template", "reaction", "image",
      "audio", "video", "document", "sticker", "location", "contacts");

  private final Vertx vertx;
  private final SimulatedNumbers numbers;
  private final Router router;
  private final List<ActiveFault> faults = new CopyOnWriteArrayList<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final List<Handler<AcceptedMessage>> listeners = new CopyOnWriteArrayList<>();
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
  private final Set<HttpServerResponse> unanswered = ConcurrentHashMap.newKeySet();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong faultIds = new AtomicLong();
  private final FlowsApiSimulator flows;
  private final SimulatedMediaLibrary media;
  private HttpServer server;

  private record ActiveFault(String id, SimulatedFault fault, long startNanos, AtomicInteger remaining) {
    boolean applies(String recipient, String number, long now) {
      if (fault.period() != null && now - startNanos > fault.period().toNanos()) {
        return false;
      }
      return (fault.recipient() == null || fault.recipient().equals(recipient == null ? SimulatedFault.READ_RECEIPTS : recipient))
          && (fault.number() == null || fault.number().equals(number));
    }

    boolean inForce(long now) {
      return (fault.period() == null || now - startNanos <= fault.period().toNanos())
          && (remaining == null || remaining.get() > 0);
    }

    /** Takes one use; false when another request took the last one first. */
    boolean take() {
      if (remaining == null) {
        return true;
      }
      return remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }
  }

  private record Waiter(Predicate<RecordedRequest> which, int count, Promise<List<RecordedRequest>> promise) {
  }

  private final SimulatedTemplates templates;
  private final SimulatedCatalog catalog;

  /**
   * One business number.
   *
   * @param accessToken   the bearer token it accepts
   * @param phoneNumberId the phone number id it serves; requests for another get Meta's 400
   */
  public GraphApiSimulator(Vertx vertx, String accessToken, String phoneNumberId) {
    this(vertx, SimulatedNumbers.one(phoneNumberId, accessToken));
  }

  /**
   * Several business numbers, as one Meta business with several phone numbers (possibly of several apps):
   * each number's {@code /{phone-number-id}/messages} and {@code /media} take that number's token only.
   *
   * @param tokens phone number id → its access token, asked on every request (so a reload can change them)
   */
  public GraphApiSimulator(Vertx vertx, Supplier<Map<String, String>> tokens) {
    this(vertx, new SimulatedNumbers(tokens));
  }

  private GraphApiSimulator(Vertx vertx, SimulatedNumbers numbers) {
    this.vertx = vertx;
    this.numbers = numbers;
    this.router = Router.router(vertx);
    this.media = new SimulatedMediaLibrary(vertx, numbers);
    media.mount(router);
    this.templates = new SimulatedTemplates(numbers);
    templates.mount(router);
    this.catalog = new SimulatedCatalog(numbers);
    catalog.mount(router);
    // Arrival is stamped before the body is read, as close to the request's arrival as a route gets.
    router.post("/:version/:phoneNumberId/messages").handler(ctx -> {
      ctx.put("arrivalNanos", System.nanoTime());
      ctx.put("arrivedAt", Instant.now());
      ctx.next();
    });
    router.post("/:version/:phoneNumberId/messages")
        .handler(BodyHandler.create().setBodyLimit(1024 * 1024))
        .handler(this::messages);
    flows = new FlowsApiSimulator(vertx, numbers);
    flows.mount(router);
  }

  /** The WhatsApp Flows management endpoints (encryption key, flows of the account) and what was uploaded to them. */
  public FlowsApiSimulator flows() {
    return flows;
  }

  /**
   * Meta's client for the bot's {@code POST /flows}, encrypting with the public key uploaded here (or set
   * with {@code flows().usePublicKey}), as WhatsApp's clients fetch it.
   */
  public FlowsClientSimulator flowsClient(String botBaseUrl, String appSecret) {
    return new FlowsClientSimulator(vertx, botBaseUrl, appSecret, () -> flows.publicKey()
        .orElseThrow(() -> new IllegalStateException("no Flows public key: upload one (scripts/flows-keys) or set"
            + " WHATSAPP_FLOWS_PRIVATE_KEY")));
  }

  /** The routes, to mount under a prefix of another router (e.g. the sandbox's {@code /graph}). */
  public Router router() {
    return router;
  }

  /** Serves the routes on their own port (0 picks a free one); the future holds the port. */
  public Future<Integer> listen(String host, int port) {
    return vertx.createHttpServer().requestHandler(router).listen(port, host).map(s -> {
      server = s;
      return s.actualPort();
    });
  }

  /** {@code http://127.0.0.1:<port>} once listening: the {@code WHATSAPP_API_BASE_URL} to use. */
  /**
   * Makes {@code catalogId} a catalog with products of these retailer ids ({@code GET /{version}/{catalog-id}/products});
   * any other catalog id gets Meta's 400 for an unknown object.
   */
  public void catalog(String catalogId, List<String> retailerIds) {
    catalog.replace(catalogId, retailerIds.stream().map(id -> SimulatedCatalog.product(id, id)).toList());
  }

  /** Replaces the message templates the account lists ({@code GET /{version}/{waba-id}/message_templates}). */
  public void templates(List<JsonObject> accountTemplates) {
    templates.replace(accountTemplates);
  }

  public String baseUrl() {
    if (server == null) {
      throw new IllegalStateException("the simulator is not listening");
    }
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** The media endpoints: metadata, download and upload, and the files behind them. */
  public SimulatedMediaLibrary media() {
    return media;
  }

  /** Drops requests left unanswered on purpose, stops listening and deletes the media files. */
  public Future<Void> close() {
    unanswered.forEach(response -> response.reset());
    unanswered.clear();
    return (server == null ? Future.<Void>succeededFuture() : server.close()).eventually(media::close);
  }

  // ---- faults ------------------------------------------------------------------------------------

  /** Adds a fault; faults are tried in the order injected and the first that applies answers. Returns its id. */
  public String inject(SimulatedFault fault) {
    String id = "fault-" + faultIds.incrementAndGet();
    faults.add(new ActiveFault(id, fault, System.nanoTime(),
        fault.times() == null ? null : new AtomicInteger(fault.times())));
    return id;
  }

  public boolean removeFault(String id) {
    return faults.removeIf(f -> f.id().equals(id));
  }

  public void clearFaults() {
    faults.clear();
  }

  /** The faults still in force, as JSON with their ids. */
  public JsonArray faults() {
    long now = System.nanoTime();
    JsonArray out = new JsonArray();
    for (ActiveFault f : faults) {
      if (f.inForce(now)) {
        JsonObject json = f.fault().toJson().put("id", f.id());
        if (f.remaining() != null) {
          json.put("times", f.remaining().get());
        }
        out.add(json);
      }
    }
    return out;
  }

  // ---- what happened -----------------------------------------------------------------------------

  /** Every request so far, in arrival order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** The requests that were answered with success. */
  public List<RecordedRequest> accepted() {
    return requests.stream().filter(RecordedRequest::accepted).toList();
  }

  /** The requests sent from this business number ({@code /{phone-number-id}/messages}) that were answered with success. */
  public List<RecordedRequest> accepted(String phoneNumberId) {
    return requests.stream().filter(r -> r.accepted() && phoneNumberId.equals(r.number())).toList();
  }

  /** Forgets the recorded requests (faults stay). */
  public void clearRequests() {
    requests.clear();
  }

  /** Completes once at least {@code n} requests have arrived (use {@code Future.timeout} to bound the wait). */
  public Future<List<RecordedRequest>> awaitRequests(int n) {
    return await(r -> true, n);
  }

  /** Completes once at least {@code n} requests have been accepted. */
  public Future<List<RecordedRequest>> awaitAccepted(int n) {
    return await(RecordedRequest::accepted, n);
  }

  private Future<List<RecordedRequest>> await(Predicate<RecordedRequest> which, int n) {
    Promise<List<RecordedRequest>> promise = Promise.promise();
    Waiter waiter = new Waiter(which, n, promise);
    waiters.add(waiter);
    check(waiter);
    return promise.future();
  }

  private void check(Waiter waiter) {
    List<RecordedRequest> matching = requests.stream().filter(waiter.which()).toList();
    if (matching.size() >= waiter.count() && waiters.remove(waiter)) {
      waiter.promise().tryComplete(matching);
    }
  }

  /** Calls {@code listener} (on the simulator's event loop) for every accepted request. */
  public void onAccepted(Handler<AcceptedMessage> listener) {
    listeners.add(listener);
  }

  // ---- the endpoint ------------------------------------------------------------------------------

  private void messages(RoutingContext ctx) {
    long arrivalNanos = ctx.get("arrivalNanos");
    Instant arrivedAt = ctx.get("arrivedAt");
    JsonObject body = jsonBody(ctx);
    String recipient = addressOf(body);
    String number = ctx.pathParam("phoneNumberId");
    boolean authorized = numbers.tokenOf(number, ctx);
    Answer answer = decide(ctx, authorized, body, recipient, number);
    record(new RecordedRequest(sequence.incrementAndGet(), arrivalNanos, arrivedAt, ctx.request().path(), authorized,
        body, recipient, answer.status(), answer.wamid()));
    if (answer.noAnswer()) {
      unanswered.add(ctx.response());
      ctx.response().closeHandler(v -> unanswered.remove(ctx.response()));
      return;
    }
    Runnable send = () -> {
      HttpServerResponse response = ctx.response().setStatusCode(answer.status())
          .putHeader("content-type", "application/json");
      if (answer.retryAfter() != null) {
        response.putHeader("Retry-After", Long.toString(answer.retryAfter().toSeconds()));
      }
      response.end(answer.body().encode());
      if (answer.status() == 200) {
        notifyListeners(new AcceptedMessage(answer.wamid(), recipient,
            "read".equals(body.getString("status")) ? "read" : body.getString("type", "text"), body, Instant.now(), number));
      }
    };
    if (answer.delay() != null) {
      vertx.setTimer(Math.max(1, answer.delay().toMillis()), t -> send.run());
    } else {
      send.run();
    }
  }

  private record Answer(int status, JsonObject body, String wamid, Duration retryAfter, Duration delay, boolean noAnswer) {
    static Answer of(int status, JsonObject body) {
      return new Answer(status, body, null, null, null, false);
    }

    Answer delayed(Duration by) {
      return new Answer(status, body, wamid, retryAfter, by, false);
    }
  }

  /**
   * A token of no number served is Meta's 401 (code 190); a number not served, or served but asked with another
   * number's token (another app's, say), is Meta's 400 for an object that does not exist or is not permitted.
   */
  private Answer decide(RoutingContext ctx, boolean authorized, JsonObject body, String recipient, String number) {
    if (!authorized && !numbers.anyToken(ctx)) {
      return Answer.of(401, error(190, null, "OAuthException", "Invalid OAuth access token - Cannot parse access token",
          null));
    }
    if (!authorized) {
      return Answer.of(400, error(100, 33, "GraphMethodException", "Unsupported post request. Object with ID '"
          + number + "' does not exist, cannot be loaded due to missing permissions,"
          + " or does not support this operation.", null));
    }
    String invalid = invalidBody(body);
    if (invalid != null) {
      return Answer.of(400, error(100, null, "OAuthException", "(#100) Invalid parameter", invalid));
    }
    String missing = MessageShapes.missing(body);
    if (missing != null) {
      return Answer.of(400, error(131008, null, "OAuthException", "(#131008) Required parameter is missing", missing));
    }
    ActiveFault fault = matchingFault(recipient, number);
    Answer normal = success(body, recipient);
    if (fault == null) {
      return normal;
    }
    SimulatedFault.Effect effect = fault.fault().effect();
    if (effect instanceof SimulatedFault.ErrorAnswer e) {
      return new Answer(e.status(), error(e.code(), e.subcode(), e.type(), e.message(), e.details()), null,
          e.retryAfter(), null, false);
    }
    if (effect instanceof SimulatedFault.Delay d) {
      return normal.delayed(d.delay());
    }
    return new Answer(0, null, null, null, null, true);
  }

  private ActiveFault matchingFault(String recipient, String number) {
    long now = System.nanoTime();
    for (ActiveFault fault : faults) {
      if (fault.applies(recipient, number, now) && fault.take()) {
        return fault;
      }
    }
    return null;
  }

  private Answer success(JsonObject body, String recipient) {
    if ("read".equals(body.getString("status"))) {
      return Answer.of(200, new JsonObject().put("success", true));
    }
    String wamid = newWamid();
    JsonObject message = new JsonObject().put("id", wamid);
    if ("template".equals(body.getString("type"))) {
      message.put("message_status", "accepted");
    }
    // Meta echoes the address: wa_id for a send to a phone number, user_id for one to a BSUID.
    JsonObject contact = new JsonObject().put("input", recipient);
    if (body.getValue("to") instanceof String) {
      contact.put("wa_id", recipient.startsWith("+") ? recipient.substring(1) : recipient);
    } else {
      contact.put("user_id", recipient);
    }
    JsonObject answer = new JsonObject()
        .put("messaging_product", "whatsapp")
        .put("contacts", new JsonArray().add(contact))
        .put("messages", new JsonArray().add(message));
    return new Answer(200, answer, wamid, null, null, false);
  }

  /** What Meta would reject with code 100, named; null when the body is a plausible request. */
  static String invalidBody(JsonObject body) {
    if (body == null) {
      return "the body must be a JSON object";
    }
    if (!"whatsapp".equals(body.getValue("messaging_product"))) {
      return "The parameter messaging_product is required and must be \"whatsapp\".";
    }
    if ("read".equals(body.getValue("status"))) {
      return body.getValue("message_id") instanceof String id && !id.isBlank() ? null
          : "The parameter message_id is required.";
    }
    Object callbackData = body.getValue("biz_opaque_callback_data");
    if (callbackData != null && !(callbackData instanceof String data && data.length() <= 512)) {
      return "Param biz_opaque_callback_data must be a string of at most 512 characters.";
    }
    String addressProblem = invalidAddress(body);
    if (addressProblem != null) {
      return addressProblem;
    }
    Object typeValue = body.getValue("type", "text");
    if (!(typeValue instanceof String type) || !MESSAGE_TYPES.contains(type)) {
      return "Param type must be one of " + MESSAGE_TYPES + ".";
    }
    if ("contacts".equals(type)) {
      // The one type whose member is an array; MessageShapes checks its cards.
      return body.getValue(type) instanceof JsonArray ? null : "Param contacts must be an array.";
    }
    if (!(body.getValue(type) instanceof JsonObject content)) {
      return "The parameter " + type + " is required.";
    }
    return switch (type) {
      case "text" -> content.getValue("body") instanceof String text && !text.isEmpty()
          ? text.codePointCount(0, text.length()) <= 4096 ? null : "Param text['body'] must be at most 4096 characters long."
          : "The parameter text['body'] is required.";
      case "template" -> content.getValue("name") instanceof String name && !name.isBlank()
          && content.getValue("language") instanceof JsonObject language && language.getValue("code") instanceof String
          ? null : "The parameters template['name'] and template['language']['code'] are required.";
      case "interactive" -> content.getValue("type") instanceof String kind && content.getValue("action") instanceof JsonObject
          ? MessageShapes.INTERACTIVE_TYPES.contains(kind) ? null
          : "Param interactive['type'] must be one of " + MessageShapes.INTERACTIVE_TYPES + "."
          : "The parameters interactive['type'] and interactive['action'] are required.";
      default -> null;
    };
  }

  /**
   * {@code to} takes a phone number (a BSUID there is accepted, as Meta does, and never delivered);
   * without {@code to}, {@code recipient} takes a BSUID or parent BSUID. {@code recipient_type} is
   * {@code individual} or absent: Meta refuses {@code business_scoped_user_id} with code 100.
   */
  private static String invalidAddress(JsonObject body) {
    Object type = body.getValue("recipient_type");
    if (type != null && !"individual".equals(type)) {
      return "Param recipient_type must be \"individual\".";
    }
    if (body.containsKey("to")) {
      return body.getValue("to") instanceof String to && (CustomerIds.isPhone(to) || CustomerIds.isAnyBsuid(to)) ? null
          : "The parameter to must be a phone number or WhatsApp id.";
    }
    if (body.containsKey("recipient")) {
      return body.getValue("recipient") instanceof String recipient && CustomerIds.isAnyBsuid(recipient) ? null
          : "The parameter recipient must be a business-scoped user id.";
    }
    return "The parameter to or recipient is required.";
  }

  /** Where a message body goes: {@code to}, else {@code recipient}; null for a read receipt or a broken body. */
  static String addressOf(JsonObject body) {
    if (body == null) {
      return null;
    }
    if (body.getValue("to") instanceof String to) {
      return to;
    }
    return body.getValue("recipient") instanceof String recipient ? recipient : null;
  }

  /** Whether Meta would accept this body and never deliver it: a business-scoped user id in {@code to}. */
  static boolean undeliverable(JsonObject body) {
    return body != null && body.getValue("to") instanceof String to && CustomerIds.isAnyBsuid(to);
  }

  /** Meta's error body: {@code {"error": {"message", "type", "code", "error_subcode", "error_data", "fbtrace_id"}}}. */
  static JsonObject error(int code, Integer subcode, String type, String message, String details) {
    JsonObject error = new JsonObject().put("message", message).put("type", type).put("code", code);
    if (subcode != null) {
      error.put("error_subcode", subcode);
    }
    if (details != null) {
      error.put("error_data", new JsonObject().put("messaging_product", "whatsapp").put("details", details));
    }
    return new JsonObject().put("error", error.put("fbtrace_id", fbtraceId()));
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    try {
      return ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void record(RecordedRequest request) {
    requests.add(request);
    new ArrayList<>(waiters).forEach(this::check);
  }

  private void notifyListeners(AcceptedMessage message) {
    for (Handler<AcceptedMessage> listener : listeners) {
      try {
        listener.handle(message);
      } catch (RuntimeException e) {
        // a faulty listener must not break the endpoint it observes
      }
    }
  }

  private static String newWamid() {
    UUID id = UUID.randomUUID();
    byte[] bytes = new byte[16];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (id.getMostSignificantBits() >>> (8 * (7 - i)));
      bytes[8 + i] = (byte) (id.getLeastSignificantBits() >>> (8 * (7 - i)));
    }
    return "wamid.HBgL" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String fbtraceId() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder(11);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 11; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
