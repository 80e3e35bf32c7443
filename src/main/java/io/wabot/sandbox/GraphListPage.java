package io.wabot.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * One page of a Graph API list edge as Meta answers it: {@code {"data": [...], "paging": {"cursors":
 * {...}, "next": ...}}}, {@code limit} per page (default 25), the {@code after} cursor for the next page.
 */
final class GraphListPage {

  private GraphListPage() {
  }

  /** Whether the request carries the token of a number the simulator serves; if not, Meta's 401 (code 190) has been answered. */
  static boolean authorized(RoutingContext ctx, SimulatedNumbers numbers) {
    if (numbers.anyToken(ctx)) {
      return true;
    }
    ctx.response().setStatusCode(401).putHeader("content-type", "application/json").end(GraphApiSimulator.error(190, null,
        "OAuthException", "Invalid OAuth access token - Cannot parse access token", null).encode());
    return false;
  }

  /** Answers the page of {@code all} the request's {@code limit} and {@code after} ask for. */
  static void answer(RoutingContext ctx, List<JsonObject> all) {
    int limit = parse(ctx.queryParams().get("limit"), 25);
    int after = parse(ctx.queryParams().get("after"), 0);
    int end = Math.min(all.size(), after + Math.max(1, limit));
    JsonArray data = new JsonArray();
    all.subList(Math.min(after, all.size()), end).forEach(data::add);
    JsonObject paging = new JsonObject().put("cursors", new JsonObject().put("before", String.valueOf(after))
        .put("after", String.valueOf(end)));
    if (end < all.size()) {
      String here = "http://" + ctx.request().authority() + ctx.request().path();
      String fields = ctx.queryParams().get("fields");
      paging.put("next", here + "?limit=" + limit + "&after=" + end + (fields == null ? "" : "&fields=" + fields));
    }
    ctx.response().putHeader("content-type", "application/json")
        .end(new JsonObject().put("data", data).put("paging", paging).encode());
  }

  private static int parse(String value, int fallback) {
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
