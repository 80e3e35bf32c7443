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

  private final SimulatedNumbers numbers;
  private final List<JsonObject> templates = new CopyOnWriteArrayList<>();

  SimulatedTemplates(SimulatedNumbers numbers) {
    this.numbers = numbers;
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
    if (GraphListPage.authorized(ctx, numbers)) {
      GraphListPage.answer(ctx, new ArrayList<>(templates));
    }
  }
}
