package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;

/**
 * One product of the business's Meta catalog ({@code interactive.type = product}); WhatsApp shows its
 * picture, name and price from the catalog, and the customer can add it to a cart.
 *
 * @param catalogId         the Meta catalog linked to the number (from configuration)
 * @param productRetailerId the product's content id (SKU) in that catalog
 */
public record ProductMessage(String to, String catalogId, String productRetailerId, String body, String footer)
    implements InteractiveMessage {

  public ProductMessage {
    Limits.recipient(to);
    Interactive.catalogId(catalogId);
    Limits.required(productRetailerId, "product_retailer_id");
    Interactive.frame(null, body, false, footer);
  }

  @Override
  public JsonObject content() {
    return Interactive.of("product", null, body, footer).put("action",
        new JsonObject().put("catalog_id", catalogId).put("product_retailer_id", productRetailerId));
  }
}
