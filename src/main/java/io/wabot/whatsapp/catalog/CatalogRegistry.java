package io.wabot.whatsapp.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code retailer_id}s of the products in the configured Meta catalog, as last synced from
 * {@code GET /{version}/{catalog-id}/products}. A product or product list message naming an id the
 * catalog lacks is refused before sending, with the field and the id named, instead of Meta's 131009 in
 * the dead letters later. Until the first sync succeeds nothing is known and every id passes: an
 * outage of the Graph API at start-up must not stop the shop.
 */
public final class CatalogRegistry {

  /** Replaced whole on each sync, so readers never see half a sync. */
  private volatile Set<String> retailerIds;

  /** Replaces what is known with one complete sync (Meta's product items: {@code retailer_id}, name, availability). */
  public void replace(List<JsonObject> products) {
    retailerIds = products.stream().map(p -> p.getValue("retailer_id")).filter(String.class::isInstance)
        .map(String.class::cast).collect(Collectors.toUnmodifiableSet());
  }

  /** Whether a sync has succeeded. */
  public boolean synced() {
    return retailerIds != null;
  }

  public int size() {
    Set<String> known = retailerIds;
    return known == null ? 0 : known.size();
  }

  /** The ids among {@code ids} the catalog does not have, in the order given (none before the first sync). */
  public List<String> unknown(Collection<String> ids) {
    Set<String> known = retailerIds;
    return known == null ? List.of() : ids.stream().filter(id -> !known.contains(id)).distinct().toList();
  }

  /**
   * What is wrong with this message body, or null: every {@code product_retailer_id} of an interactive
   * {@code product} or {@code product_list} must be in the catalog. Other messages always pass.
   */
  public String problem(JsonObject body) {
    if (!"interactive".equals(body.getString("type")) || !(body.getValue("interactive") instanceof JsonObject interactive)
        || !(interactive.getValue("action") instanceof JsonObject action)) {
      return null;
    }
    List<String> ids = new ArrayList<>();
    if ("product".equals(interactive.getString("type")) && action.getValue("product_retailer_id") instanceof String id) {
      ids.add(id);
    } else if ("product_list".equals(interactive.getString("type"))) {
      for (Object section : action.getJsonArray("sections", new JsonArray())) {
        if (section instanceof JsonObject s) {
          for (Object item : s.getJsonArray("product_items", new JsonArray())) {
            if (item instanceof JsonObject i && i.getValue("product_retailer_id") instanceof String id) {
              ids.add(id);
            }
          }
        }
      }
    }
    List<String> unknown = unknown(ids);
    return unknown.isEmpty() ? null : "product_retailer_id " + unknown.stream().map(id -> "\"" + id + "\"")
        .collect(Collectors.joining(", ")) + " not in catalog " + action.getString("catalog_id") + " (" + size()
        + " products synced)";
  }
}
