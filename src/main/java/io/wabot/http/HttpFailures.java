package io.wabot.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wabot.observability.Events;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's last word on a failed request: a failure of ours is logged as {@code http.error} (ERROR,
 * with its stack trace) and answered with a JSON error; a refusal ({@code 4xx}) is only answered. A client
 * that hung up while its answer was being written (a browser leaving the sandbox page mid-download, a
 * closed tab) is no failure of ours: {@code http.client_gone} at DEBUG, and nothing written to a
 * connection that is gone.
 */
public final class HttpFailures implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(HttpFailures.class);

  /** What the JDK and Netty say when writing to a socket the peer closed or reset (lower case). */
  private static final Set<String> CLOSED_MESSAGES = Set.of("broken pipe", "connection reset",
      "connection was closed", "forcibly closed", "connection aborted");

  @Override
  public void handle(RoutingContext ctx) {
    if (clientGone(ctx)) {
      Events.debug(LOG, "http.client_gone").addKeyValue("route", route(ctx))
          .addKeyValue("reason", ctx.failure() == null ? "closed" : ctx.failure().getClass().getSimpleName())
          .log("The client closed the connection before its answer was written");
      return;
    }
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    if (status >= 500) {
      Events.error(LOG, "http.error").setCause(ctx.failure()).addKeyValue("route", route(ctx)).log("Request failed");
    }
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", status >= 500 ? "internal error" : "request rejected").encode());
    }
  }

  /**
   * The peer went away: its connection is closed, or the failure is the one a write to a closed
   * connection meets (which can arrive before Vert.x has marked the response closed).
   */
  static boolean clientGone(RoutingContext ctx) {
    return ctx.response().closed() || closedConnection(ctx.failure());
  }

  /** Whether {@code failure}, or one of its causes, is a connection the peer closed or reset. */
  static boolean closedConnection(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HttpClosedException || t instanceof ClosedChannelException) {
        return true;
      }
      if (t instanceof IOException && t.getMessage() != null) {
        String message = t.getMessage().toLowerCase(Locale.ROOT);
        if (CLOSED_MESSAGES.stream().anyMatch(message::contains)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The route, never the path: a path can hold a customer's number. */
  private static String route(RoutingContext ctx) {
    return ctx.currentRoute() == null ? "" : String.valueOf(ctx.currentRoute().getPath());
  }
}
