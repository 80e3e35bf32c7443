package io.wabot.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wabot.observability.Events;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every {@code /admin/...} route answers the same way, whichever feature mounts it (queues,
 * skipped webhook objects, customers): paging parameters and Redis being away.
 */
public final class AdminAnswers {

  // The admin routes' logger, as before these answers were shared: operators' log filters keep working.
  private static final Logger LOG = LoggerFactory.getLogger("io.wabot.admin.AdminRoutes");

  private AdminAnswers() {
  }

  /** An integer query parameter clamped to {@code [min, max]}; {@code fallback} when absent or not a number. */
  public static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    try {
      String value = ctx.request().getParam(name);
      return value == null ? fallback : Math.max(min, Math.min(max, Integer.parseInt(value)));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** Redis did not answer: 503, like the webhook, rather than a generic 500. The route, never the path, is logged. */
  public static void unavailable(RoutingContext ctx, Throwable e) {
    Events.warn(LOG, "admin.redis_unavailable").addKeyValue("route", ctx.currentRoute() == null ? "" : ctx.currentRoute().getPath())
        .addKeyValue("error", String.valueOf(e.getMessage())).log("Admin request failed: Redis did not answer");
    ctx.response().setStatusCode(503).putHeader("content-type", "application/json").putHeader("Retry-After", "5")
        .end(new JsonObject().put("error", "Redis is unavailable; try again shortly").encode());
  }
}
