package io.wabot.sandbox;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandbox's HTTP face, mounted on the main router in sandbox mode: the chat page at
 * {@code /sandbox/}, its JSON API under {@code /sandbox/api} (answered by the {@link SandboxVerticle}
 * over the event bus) and a server-sent event stream of messages, statuses and log events.
 *
 * <pre>
 * GET    /sandbox/api/state                              numbers, customers, chats, transcripts and traces
 * POST   /sandbox/api/customers                          {"name", "number", "locale", "business"} | {"name", "phoneHidden": true, "username", "country", "locale", "business"}
 * POST   /sandbox/api/customers/{number}/messages        {"type": "text", "text": "hi"} | {"type": "button"|"list", "id", "title"} | {"type": "image"|"document"|"audio"|"sticker"|"location"} (+ "data" base64, "mimeType", "filename", "caption": an attached file; without: a sample) | {"type": "ad"} (from a click-to-WhatsApp ad)
 * GET    /sandbox/api/customers/{number}/conversation    the transcript, with a plain-text rendering of each message
 * POST   /sandbox/api/customers/{number}/read            {"wamid"}: the customer read a bot message
 * POST   /sandbox/api/customers/{number}/flows           {"wamid", "action": "open"|"data_exchange"|"back"|"complete", "screen", "data"}:
 *                                                        a step of the WhatsApp Flow a bot message opened, through the real /flows
 * POST   /sandbox/api/customers/{number}/change-number   {"number"} (or none: the new number stays hidden): new ids, same person
 * GET    /sandbox/api/media/{id}                         a media file of the simulator (an attachment, a file the bot sent)
 * POST   /sandbox/api/simulate                           {"event": "pause_template"|"phone_red"|"account_banned"|...} | {"event": "staff_reply", "customer", "text"}: Meta's webhooks on demand
 * GET    /sandbox/api/faults  POST /sandbox/api/faults  DELETE /sandbox/api/faults   the simulator's injected faults
 * GET    /sandbox/api/stream                             text/event-stream
 * </pre>
 *
 * <p>{@code {number}} names a customer: the phone number they were added with, or the BSUID of a
 * customer whose number is hidden; it stays the same when they change number.
 *
 * <p>{@code business} ({@code ?business=Support} or a {@code "business"} member of the body) names the
 * business number the customer talks to, by name or {@code phone_number_id}: the chat is that customer with
 * that number. Without it, the default number (the first configured; in the sandbox's own pair, Sales).
 * Messages, the transcript, a change of number, a staff reply and Meta's account events take it; a read or a
 * flow step follows the number of the message it is about.
 */
public final class SandboxRoutes {

  private static final long HEARTBEAT_MS = 15_000;

  private final Vertx vertx;
  private final Set<HttpServerResponse> streams = ConcurrentHashMap.newKeySet();
  private MessageConsumer<JsonObject> streamConsumer;
  private long heartbeat = -1;

  public SandboxRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  public void mount(Router router) {
    // Vert.x matches "/sandbox" and "/sandbox/" alike: redirect only the bare form, to the page.
    router.get("/sandbox").handler(ctx -> {
      if (ctx.request().path().equals("/sandbox")) {
        redirect(ctx, "/sandbox/");
      } else {
        ctx.next();
      }
    });
    router.get("/").handler(ctx -> redirect(ctx, "/sandbox/"));
    // browsers ask for it whatever the page says; the page's own icon answers
    router.get("/favicon.ico").handler(ctx -> ctx.response().putHeader("Content-Type", "image/svg+xml")
        .sendFile("webroot/sandbox/favicon.svg"));
    Router api = Router.router(vertx);
    // A customer's attachment travels as base64 in the message's JSON: room for a 5 MiB file.
    api.route().handler(BodyHandler.create(false).setBodyLimit(CustomerSimulator.ATTACHMENT_LIMIT * 4L / 3 + 64 * 1024));
    api.get("/state").handler(ctx -> ask(ctx, "state", new JsonObject()));
    api.post("/customers").handler(ctx -> ask(ctx, "addCustomer", body(ctx)));
    api.post("/customers/:number/messages").handler(ctx -> {
      JsonObject message = body(ctx);
      // the number it goes to is the chat's, not part of the message
      Object business = message.remove("business");
      ask(ctx, "send", new JsonObject().put("customer", ctx.pathParam("number")).put("message", message)
          .put("business", business));
    });
    api.get("/customers/:number/conversation").handler(ctx -> ask(ctx, "conversation",
        new JsonObject().put("customer", ctx.pathParam("number"))));
    api.post("/customers/:number/read").handler(ctx -> ask(ctx, "read",
        body(ctx).put("customer", ctx.pathParam("number"))));
    api.post("/customers/:number/flows").handler(ctx -> ask(ctx, "flow",
        body(ctx).put("customer", ctx.pathParam("number"))));
    api.post("/customers/:number/change-number").handler(ctx -> ask(ctx, "changeNumber",
        body(ctx).put("customer", ctx.pathParam("number"))));
    api.get("/media/:id").handler(this::media);
    api.post("/simulate").handler(ctx -> ask(ctx, "simulate", body(ctx)));
    api.get("/faults").handler(ctx -> ask(ctx, "faults", new JsonObject()));
    api.post("/faults").handler(ctx -> ask(ctx, "addFault", body(ctx)));
    api.delete("/faults").handler(ctx -> ask(ctx, "clearFaults", new JsonObject()));
    api.get("/stream").handler(this::stream);
    router.route("/sandbox/api/*").subRouter(api);
    router.route("/sandbox/*").handler(StaticHandler.create("webroot/sandbox").setCachingEnabled(false)
        .setIndexPage("index.html"));

    streamConsumer = vertx.eventBus().consumer(SandboxVerticle.STREAM_ADDRESS, message -> {
      String frame = "event: " + message.body().getString("event") + "\ndata: "
          + message.body().getJsonObject("data").encode() + "\n\n";
      streams.forEach(response -> response.write(frame));
    });
    heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> streams.forEach(response -> response.write(": keep-alive\n\n")));
  }

  /** Stops the stream: open event streams are ended so the server can shut down. */
  public void close() {
    if (streamConsumer != null) {
      streamConsumer.unregister();
    }
    if (heartbeat >= 0) {
      vertx.cancelTimer(heartbeat);
    }
    streams.forEach(response -> response.end());
    streams.clear();
  }

  private void stream(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    // identity: a compressed stream would hold events back in the deflater
    response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
        .putHeader("Content-Encoding", "identity")
        .putHeader("X-Accel-Buffering", "no");
    response.write(": connected\n\n");
    streams.add(response);
    response.closeHandler(v -> streams.remove(response));
  }

  /** A file the simulator holds (a customer's attachment or a file the bot uploaded), shown in the chat. */
  private void media(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(SandboxVerticle.API_ADDRESS, new JsonObject().put("id", ctx.pathParam("id")),
            new DeliveryOptions().addHeader("action", "mediaFile"))
        .onSuccess(reply -> ctx.response().putHeader("Content-Type", reply.body().getString("mimeType", "application/octet-stream"))
            .putHeader("X-Content-Type-Options", "nosniff").sendFile(reply.body().getString("path")))
        .onFailure(e -> ctx.response().setStatusCode(404).end());
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject json = ctx.body().asJsonObject();
      return json == null ? new JsonObject() : json;
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  /** Asks the owner; {@code ?business=} (a business number's name or id) joins the body unless it names one already. */
  private void ask(RoutingContext ctx, String action, JsonObject body) {
    String business = ctx.queryParams().get("business");
    if (business != null && body.getValue("business") == null) {
      body.put("business", business);
    }
    vertx.eventBus().<JsonObject>request(SandboxVerticle.API_ADDRESS, body, new DeliveryOptions().addHeader("action", action))
        .onSuccess(reply -> ctx.json(reply.body()))
        .onFailure(e -> {
          int status = e instanceof ReplyException r && r.failureCode() >= 400 ? r.failureCode() : 503;
          ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
              .end(new JsonObject().put("error", String.valueOf(e.getMessage())).encode());
        });
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(302).putHeader("Location", location).end();
  }
}
