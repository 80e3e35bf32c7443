package io.wabot.benchmark;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for Meta's Graph API: {@code POST /{version}/{phone-number-id}/messages} with the bearer
 * token, answered as Meta answers (a wamid for a message, {@code success} for a read receipt, 401 with
 * code 190 for a wrong token). Each request is timestamped the moment its body has arrived and handed
 * to the listener on this server's event loop; {@code latency} delays the answer (not the timestamp)
 * to mimic Meta's own response time.
 */
public final class FakeGraphApi {

  /** What the bot sent. {@code arrivedNanos} is {@link System#nanoTime()} when it arrived. */
  public sealed interface Send {
    long arrivedNanos();
  }

  /** A message to a customer. */
  public record Message(String to, JsonObject body, long arrivedNanos) implements Send {
  }

  /** The bot marked a customer's message as read. */
  public record ReadReceipt(String messageId, long arrivedNanos) implements Send {
  }

  /** Called on the server's event loop for every accepted send. */
  public interface Listener {
    void sent(Send send);
  }

  private final Vertx vertx;
  private final String token;
  private final String phoneNumberId;
  private final Duration latency;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private HttpServer server;

  public FakeGraphApi(Vertx vertx, String token, String phoneNumberId, Duration latency) {
    this.vertx = vertx;
    this.token = token;
    this.phoneNumberId = phoneNumberId;
    this.latency = latency;
  }

  /** Starts listening on a free port of 127.0.0.1; call from the context whose thread should run the listener. */
  public Future<Integer> start(Listener listener) {
    server = vertx.createHttpServer();
    return server.requestHandler(request -> handle(request, listener)).listen(0, "127.0.0.1").map(HttpServer::actualPort);
  }

  public long rejected() {
    return rejected.get();
  }

  private void handle(HttpServerRequest request, Listener listener) {
    request.body().onSuccess(body -> {
      long arrived = System.nanoTime();
      if (!("Bearer " + token).equals(request.getHeader("Authorization"))) {
        rejected.incrementAndGet();
        answer(request, 401, new JsonObject().put("error", new JsonObject().put("message", "Invalid OAuth access token.")
            .put("type", "OAuthException").put("code", 190).put("fbtrace_id", "Abench")));
        return;
      }
      if (!request.path().endsWith("/" + phoneNumberId + "/messages")) {
        rejected.incrementAndGet();
        answer(request, 400, new JsonObject().put("error", new JsonObject().put("message", "Unsupported post request.")
            .put("type", "GraphMethodException").put("code", 100).put("error_subcode", 33)));
        return;
      }
      JsonObject json;
      try {
        json = body.toJsonObject();
      } catch (RuntimeException e) {
        rejected.incrementAndGet();
        answer(request, 400, new JsonObject().put("error", new JsonObject().put("message", "Invalid JSON").put("code", 100)));
        return;
      }
      if ("read".equals(json.getString("status"))) {
        listener.sent(new ReadReceipt(json.getString("message_id"), arrived));
        answerLater(request, new JsonObject().put("success", true));
      } else {
        String to = json.getString("to");
        listener.sent(new Message(to, json, arrived));
        answerLater(request, new JsonObject().put("messaging_product", "whatsapp")
            .put("contacts", new JsonArray().add(new JsonObject().put("input", to).put("wa_id", to)))
            .put("messages", new JsonArray().add(new JsonObject().put("id", "wamid.BENCH" + sequence.incrementAndGet()))));
      }
    });
  }

  private void answerLater(HttpServerRequest request, JsonObject json) {
    if (latency.isZero()) {
      answer(request, 200, json);
    } else {
      vertx.setTimer(latency.toMillis(), id -> answer(request, 200, json));
    }
  }

  private static void answer(HttpServerRequest request, int status, JsonObject json) {
    request.response().setStatusCode(status).putHeader("content-type", "application/json").end(json.toBuffer());
  }
}
