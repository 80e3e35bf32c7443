package io.wabot.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The account's message templates as Meta lists them: {@code GET /{version}/{waba-id}/message_templates}
 * answers {@code {"data": [...], "paging": {"cursors": {...}, "next": ...}}}, {@code limit} per page
 * (default 25), the {@code after} cursor for the next. Starts with the sandbox's window template.
 */
final class SimulatedTemplates {

  private final String accessToken;
  private final List<JsonObject> templates = new CopyOnWriteArrayList<>();

  SimulatedTemplates(String accessToken) {
    this.accessToken = accessToken;
    for (String language : List.of("en_US", "es", "es_MX")) {
      templates.add(new JsonObject().put("name", "conversation_update").put("language", language).put("status", "APPROVED")
          .put("category", "UTILITY").put("id", "10" + Math.abs(language.hashCode()))
          .put("components", new JsonArray().add(new JsonObject().put("type", "BODY")
              .put("text", "We have an update on your conversation. Reply to continue."))));
    }
  }

  void mount(Router router) {
    router.get("/:version/:waba/message_templates").handler(this::list);
  }

  /** Replaces the account's templates (tests, the sandbox panel). */
  void replace(List<JsonObject> newTemplates) {
    templates.clear();
    newTemplates.forEach(t -> templates.add(t.copy()));
  }

  private void list(RoutingContext ctx) {
    if (!("Bearer " + accessToken).equals(ctx.request().getHeader("Authorization"))) {
      ctx.response().setStatusCode(401).putHeader("content-type", "application/json").end(GraphApiSimulator.error(190, null,
          "OAuthException", "Invalid OAuth access token - Cannot parse access token", null).encode());
      return;
    }
    int limit = parse(ctx.queryParams().get("limit"), 25);
    int after = parse(ctx.queryParams().get("after"), 0);
    List<JsonObject> all = new ArrayList<>(templates);
    int end = Math.min(all.size(), after + Math.max(1, limit));
    JsonArray data = new JsonArray();
    all.subList(Math.min(after, all.size()), end).forEach(data::add);
    JsonObject paging = new JsonObject().put("cursors", new JsonObject().put("before", String.valueOf(after))
        .put("after", String.valueOf(end)));
    if (end < all.size()) {
      String host = "http://" + ctx.request().authority() + ctx.request().path();
      paging.put("next", host + "?limit=" + limit + "&after=" + end);
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
