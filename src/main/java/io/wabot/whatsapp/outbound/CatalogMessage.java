package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;

/**
 * A "View catalog" button that opens the whole catalog linked to the number ({@code interactive.type =
 * catalog_message}); the thumbnail is one product's picture, else the catalog's first product.
 */
public record CatalogMessage(String to, String body, String footer, String thumbnailProductRetailerId)
    implements InteractiveMessage {

  public CatalogMessage {
    Limits.recipient(to);
    Interactive.frame(null, body, true, footer);
  }

  @Override
  public JsonObject content() {
    JsonObject action = new JsonObject().put("name", "catalog_message");
    if (thumbnailProductRetailerId != null && !thumbnailProductRetailerId.isBlank()) {
      action.put("parameters", new JsonObject().put("thumbnail_product_retailer_id", thumbnailProductRetailerId));
    }
    return Interactive.of("catalog_message", null, body, footer).put("action", action);
  }
}
