package io.wabot.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wabot.config.HttpConfig;
import io.wabot.observability.Rejections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The door of one HTTP verticle instance: what a connection may hold, and for how long.
 *
 * <ul>
 *   <li>A connection must send a request's headers within {@code http.headerTimeout} of opening, or of
 *       its previous response; otherwise it is closed (slow headers, idle and keep-alive connections).</li>
 *   <li>A request's body must arrive within {@code http.requestReadTimeout}; otherwise 408 and close
 *       (slow bodies).</li>
 *   <li>Nothing read or written for {@code http.idleTimeout} closes a connection (a stuck response).</li>
 *   <li>Beyond {@code http.maxConnections} open connections, or {@code http.maxConcurrentRequests}
 *       requests in progress, in the whole process, a request gets 503 with {@code Retry-After} and its
 *       connection is closed.</li>
 * </ul>
 *
 * {@code /health/...} is exempt from the two caps, so that a liveness probe is answered whatever
 * strangers hold. Every refusal is counted in {@link Rejections}, never logged one by one.
 *
 * <p>Event-loop confined: the connections of one instance are all handled on its event loop.
 */
public final class IngressGuard {

  /** Seconds a refused client is asked to wait before trying again. */
  static final String RETRY_AFTER_SECONDS = "5";

  private final Vertx vertx;
  private final HttpConfig config;
  private final IngressLimits limits;
  private final Rejections rejections;
  private final Map<HttpConnection, Door> doors = new HashMap<>();

  /** What one connection holds now. */
  private static final class Door {
    /** Whether it counts towards {@code http.maxConnections}; one over the cap is answered 503 and closed. */
    final boolean admitted;
    long headerTimer = -1;
    int requestsInProgress;
    boolean servedOne;

    Door(boolean admitted) {
      this.admitted = admitted;
    }
  }

  public IngressGuard(Vertx vertx, HttpConfig config, IngressLimits limits, Rejections rejections) {
    this.vertx = vertx;
    this.config = config;
    this.limits = limits;
    this.rejections = rejections;
  }

  /**
   * The server options the guard relies on: the idle timeout, Netty's header limits (8 KiB of headers,
   * a 4 KiB request line: larger gets 431 / 414 before any handler runs), and no cleartext HTTP/2, whose
   * many streams per connection would slip past the per-connection timers (Meta speaks HTTP/1.1).
   */
  public HttpServerOptions configure(HttpServerOptions options) {
    return options
        .setIdleTimeout((int) config.idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMaxHeaderSize(8192)
        .setMaxInitialLineLength(4096)
        .setHttp2ClearTextEnabled(false)
        .setDecompressionSupported(false);
  }

  /** Watches every connection the server accepts; call before it listens. */
  public HttpServer watch(HttpServer server) {
    return server.connectionHandler(this::opened);
  }

  private void opened(HttpConnection connection) {
    Door door = new Door(limits.tryOpenConnection());
    if (!door.admitted) {
      rejections.rejected("server", "connections", "too many open connections (http.maxConnections); answered 503");
    }
    doors.put(connection, door);
    awaitHeaders(connection, door);
    connection.closeHandler(v -> {
      Door closed = doors.remove(connection);
      if (closed != null) {
        vertx.cancelTimer(closed.headerTimer);
        if (closed.admitted) {
          limits.connectionClosed();
        }
      }
    });
  }

  private void awaitHeaders(HttpConnection connection, Door door) {
    // A connection over the cap is only ever answered 503: it need not hold a descriptor for long.
    long timeout = door.admitted ? config.headerTimeout().toMillis() : Math.min(1000, config.headerTimeout().toMillis());
    door.headerTimer = vertx.setTimer(timeout, id -> {
      door.headerTimer = -1;
      if (!door.servedOne) {
        // A connection that never sent a whole request: slow headers, or an idle connection held open.
        rejections.rejected("server", "header_timeout", "no complete request headers within http.headerTimeout; closed");
      }
      connection.close();
    });
  }

  /** The first route of the router: admits the request or refuses it, and times its body. */
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpConnection connection = request.connection();
    Door door = doors.get(connection);
    if (door != null) {
      vertx.cancelTimer(door.headerTimer);
      door.headerTimer = -1;
      door.requestsInProgress++;
      ctx.addEndHandler(ended -> requestOver(connection, door));
    }
    if (request.path().startsWith("/health/")) {
      ctx.next();
      return;
    }
    if (door != null && !door.admitted) {
      refuse(ctx, 503, "the server is at its connection limit");
      return;
    }
    if (!limits.tryStartRequest()) {
      rejections.rejected("server", "requests", "too many requests in progress (http.maxConcurrentRequests); answered 503");
      refuse(ctx, 503, "the server is at its request limit");
      return;
    }
    ctx.addEndHandler(ended -> limits.requestEnded());
    if (!request.isEnded()) {
      long timer = vertx.setTimer(config.requestReadTimeout().toMillis(), id -> readTimedOut(ctx));
      request.end().onComplete(ended -> vertx.cancelTimer(timer));
      ctx.addEndHandler(ended -> vertx.cancelTimer(timer));
    }
    ctx.next();
  }

  private void requestOver(HttpConnection connection, Door door) {
    door.requestsInProgress--;
    door.servedOne = true;
    if (door.requestsInProgress == 0 && doors.get(connection) == door && door.headerTimer < 0) {
      awaitHeaders(connection, door);
    }
  }

  private void readTimedOut(RoutingContext ctx) {
    if (ctx.request().isEnded()) {
      return;
    }
    rejections.rejected("server", "read_timeout", "the body did not arrive within http.requestReadTimeout; answered 408");
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      ctx.request().connection().close();
    } else {
      closeAfter(ctx, response.setStatusCode(408), "the request body took too long");
    }
  }

  private static void refuse(RoutingContext ctx, int status, String why) {
    closeAfter(ctx, ctx.response().setStatusCode(status).putHeader("Retry-After", RETRY_AFTER_SECONDS), why);
  }

  /**
   * Answers and closes the connection: the client may still be sending a body nobody will read, and a
   * connection that was refused should not be kept for another request.
   */
  public static void closeAfter(RoutingContext ctx, HttpServerResponse response, String error) {
    HttpConnection connection = ctx.request().connection();
    response.putHeader("Connection", "close").putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", error).encode())
        .onComplete(done -> connection.close());
  }

  /** Open connections this instance watches (for tests). */
  int watched() {
    return doors.size();
  }
}
