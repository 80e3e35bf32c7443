package io.wabot.example.sales;

import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where the sales flow reads the inventory. The default is {@link JsonCatalogSource}
 * ({@code conf/catalog.json}); to use your inventory system, implement this interface with
 * non-blocking calls (Vert.x {@code WebClient}, a reactive database client, or
 * {@code vertx.executeBlocking} around a blocking SDK) and return it from {@code SalesBot.catalog}.
 *
 * <p>Every method returns a {@link Future} and runs on an event loop: never block in it. A failed
 * future makes the flow apologise to the customer and offer a person, so a slow or broken inventory
 * system never leaves a customer without an answer. Stock can change between calls; the flow shows
 * what the source says at that moment and the sales person confirms on reservation.
 */
public interface CatalogSource {

  /** The categories, in the order customers should see them. */
  Future<List<Category>> categories();

  /** The items of one category, in the order customers should see them (the flow shows in-stock ones first). */
  Future<List<InventoryItem>> items(String categoryId);

  /** One item by SKU, ignoring case; empty when it no longer exists. */
  Future<Optional<InventoryItem>> item(String sku);

  /**
   * Items matching what a customer typed ("hedphones", "audífonos", "hp-200"), best first. The JSON
   * source tolerates typos, plurals and accents ({@link CatalogSearch}); a search engine of your own
   * can do the same here.
   */
  Future<List<InventoryItem>> search(String query, int limit);

  /**
   * In-stock alternatives to an item: by default the same category, nearest in price. Override to use
   * your own recommendations.
   */
  default Future<List<InventoryItem>> alternatives(InventoryItem item, int limit) {
    return items(item.category()).map(items -> items.stream()
        .filter(other -> other.inStock() && !other.sku().equalsIgnoreCase(item.sku()))
        .sorted(Comparator.comparing((InventoryItem other) -> other.priceBand().midpoint().subtract(item.priceBand().midpoint()).abs())
            .thenComparing(InventoryItem::sku))
        .limit(limit)
        .toList());
  }
}
