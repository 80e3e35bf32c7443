package io.wabot.sandbox;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meta catalogs' products as the Graph API lists them: {@code GET /{version}/{catalog-id}/products}
 * answers product items ({@code id}, {@code retailer_id}, {@code name}, {@code availability}) page by
 * page; a catalog id it does not know gets Meta's 400 for an object that does not exist (code 100,
 * subcode 33). Empty until a catalog is seeded (tests; the sandbox seeds the sample inventory).
 */
final class SimulatedCatalog {

  private final SimulatedNumbers numbers;
  private final Map<String, List<JsonObject>> catalogs = new ConcurrentHashMap<>();

  SimulatedCatalog(SimulatedNumbers numbers) {
    this.numbers = numbers;
  }

  void mount(Router router) {
    router.get("/:version/:catalog/products").handler(this::list);
  }

  /** Replaces the products of {@code catalogId} with items that have these retailer ids. */
  void replace(String catalogId, List<JsonObject> products) {
    catalogs.put(catalogId, products.stream().map(JsonObject::copy).toList());
  }

  private void list(RoutingContext ctx) {
    if (!GraphListPage.authorized(ctx, numbers)) {
      return;
    }
    String catalogId = ctx.pathParam("catalog");
    List<JsonObject> products = catalogs.get(catalogId);
    if (products == null) {
      ctx.response().setStatusCode(400).putHeader("content-type", "application/json").end(GraphApiSimulator.error(100, 33,
          "GraphMethodException", "Unsupported get request. Object with ID '" + catalogId + "' does not exist, cannot be"
              + " loaded due to missing permissions, or does not support this operation. Please read the Graph API"
              + " documentation at https://developers.facebook.com/docs/graph-api", null).encode());
      return;
    }
    GraphListPage.answer(ctx, products);
  }

  /** A product item as Meta lists it, for seeding. */
  static JsonObject product(String retailerId, String name) {
    return new JsonObject().put("id", String.valueOf(1_000_000_000L + Math.abs((long) retailerId.hashCode())))
        .put("retailer_id", retailerId).put("name", name).put("availability", "in stock");
  }
}
