package io.wabot.customer;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.wabot.config.NumberConfig;
import io.wabot.http.AdminAnswers;
import io.wabot.numbers.BusinessNumbers;
import java.util.Optional;

/**
 * The operator's view of the alias map, on the admin router (bearer {@code ADMIN_TOKEN}, 404 when admin
 * is off). Wherever an id is asked for, any of a customer's ids works: a phone number, a BSUID, a
 * parent BSUID or the conversation key.
 *
 * <pre>
 * GET  /admin/customers/conflicts   ids that named two known customers at once, kept apart
 * GET  /admin/customers/{id}        the customer: conversation key, current ids, every alias
 * POST /admin/customers/merge       {"from": id, "into": id}: they are one person (200; 404 unknown; 409 while
 *                                   messages of "from" wait or a hand-off timer runs; 400 the same customer)
 * </pre>
 *
 * <p>Each business number has its own alias map: {@code ?number=} (a name or {@code phone_number_id}) picks it,
 * the default number's without it; a number not served is 404.
 */
public final class CustomerRoutes {

  private final CustomerDirectories directories;
  private final BusinessNumbers numbers;

  public CustomerRoutes(CustomerDirectories directories, BusinessNumbers numbers) {
    this.directories = directories;
    this.numbers = numbers;
  }

  /** The alias map the request names with {@code ?number=}, the default number's without; null (404 sent) when not served. */
  private CustomerDirectory directory(RoutingContext ctx) {
    String number = ctx.request().getParam("number");
    Optional<NumberConfig> chosen = number == null ? Optional.of(numbers.defaultNumber()) : numbers.named(number);
    if (chosen.isEmpty()) {
      answer(ctx, 404, new JsonObject().put("error", "no business number \"" + number + "\" is served"));
      return null;
    }
    return directories.of(chosen.get().phoneNumberId());
  }

  /** Adds the routes to the admin sub-router (paths relative to {@code /admin}). */
  public void mount(Router admin) {
    admin.get("/customers/conflicts").handler(this::conflicts);
    admin.post("/customers/merge").handler(BodyHandler.create(false).setBodyLimit(4096)).handler(this::merge);
    admin.get("/customers/:id").handler(this::show);
  }

  private void conflicts(RoutingContext ctx) {
    CustomerDirectory customers = directory(ctx);
    if (customers == null) {
      return;
    }
    customers.conflicts().onSuccess(list -> answer(ctx, 200, new JsonObject().put("conflicts", list)))
        .onFailure(e -> AdminAnswers.unavailable(ctx, e));
  }

  private void show(RoutingContext ctx) {
    CustomerDirectory customers = directory(ctx);
    if (customers == null) {
      return;
    }
    customers.find(ctx.pathParam("id"))
        .compose(found -> found.isEmpty() ? Future.succeededFuture(Optional.<JsonObject>empty())
            : customers.describe(found.get().key()).map(described -> Optional.of(described.orElseGet(
                () -> found.get().toJson().put("aliases", new io.vertx.core.json.JsonArray())))))
        .onSuccess(described -> {
          if (described.isPresent()) {
            answer(ctx, 200, described.get());
          } else {
            answer(ctx, 404, new JsonObject().put("error", "no customer with that phone number, BSUID or key"));
          }
        })
        .onFailure(e -> AdminAnswers.unavailable(ctx, e));
  }

  private void merge(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null || !(body.getValue("from") instanceof String from) || !(body.getValue("into") instanceof String into)) {
      answer(ctx, 400, new JsonObject().put("error", "send {\"from\": id, \"into\": id}, each a phone number, BSUID or key"));
      return;
    }
    CustomerDirectory customers = directory(ctx);
    if (customers == null) {
      return;
    }
    Future.all(customers.find(from), customers.find(into)).compose(found -> {
      Optional<CustomerIdentity> source = found.resultAt(0);
      Optional<CustomerIdentity> target = found.resultAt(1);
      if (source.isEmpty() || target.isEmpty()) {
        answer(ctx, 404, new JsonObject().put("error", "no customer " + (source.isEmpty() ? "\"from\"" : "\"into\"")
            + " with that phone number, BSUID or key"));
        return Future.succeededFuture();
      }
      return customers.merge(source.get().key(), target.get().key()).map(result -> {
        switch (result.outcome()) {
          case "merged" -> answer(ctx, 200, new JsonObject().put("merged", source.get().key()).put("into", target.get().key())
              .put("aliasesMoved", result.aliasesMoved()));
          case "same" -> answer(ctx, 400, new JsonObject().put("error", "both ids are the same customer already"));
          case "busy" -> answer(ctx, 409, new JsonObject().put("error", "messages of \"from\" are waiting to be answered, or"
              + " a hand-off timer runs; try again once they are done"));
          case "dead_letters" -> answer(ctx, 409, new JsonObject().put("error", "messages of \"from\" are in the inbound"
              + " dead-letter queue (GET /admin/dead-letters/inbound): replay or delete them first, then merge"));
          default -> answer(ctx, 404, new JsonObject().put("error", "customer not of this business number: " + result.outcome()));
        }
        return null;
      });
    }).onFailure(e -> AdminAnswers.unavailable(ctx, e));
  }

  private static void answer(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
