package io.wabot.example.sales;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One product of the catalog (the spec's InventoryItem).
 *
 * @param sku         the stock-keeping unit, unique; customers may type it (case does not matter)
 * @param name        what customers see
 * @param description one or two sentences that help a customer choose
 * @param category    the id of its {@link Category}
 * @param stock       units available now; 0 = out of stock
 * @param priceBand   what it costs
 * @param escalation  instructions for the sales person who takes over a conversation about it
 * @param keywords    other words customers use for it, in any language ("audífonos", "earbuds")
 * @param image       a public https URL of its photo, shown above its details (Meta fetches it), or null
 */
public record InventoryItem(String sku, LocalizedText name, LocalizedText description, String category, int stock,
    PriceBand priceBand, String escalation, List<String> keywords, String image) {

  public InventoryItem {
    keywords = List.copyOf(keywords);
  }

  public boolean inStock() {
    return stock > 0;
  }

  /** The item as the sales team sees it in a hand-off. */
  public JsonObject toTeamJson(String locale) {
    return new JsonObject().put("sku", sku).put("name", name.in(locale, "en")).put("category", category)
        .put("stock", stock).put("priceBand", priceBand.format())
        .put("priceMin", priceBand.min()).put("priceMax", priceBand.max()).put("currency", priceBand.currency())
        .put("escalation", escalation).put("keywords", new JsonArray(List.copyOf(keywords))).put("image", image);
  }
}
