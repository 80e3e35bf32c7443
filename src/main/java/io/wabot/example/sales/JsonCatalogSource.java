package io.wabot.example.sales;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The default {@link CatalogSource}: the inventory in a JSON file ({@code conf/catalog.json}, see
 * {@link CatalogFile} for the format), read once at start-up, held in memory and searched with
 * {@link CatalogSearch}. Restart the service to pick up changes, or implement {@link CatalogSource}
 * over your inventory system for live stock.
 */
public final class JsonCatalogSource implements CatalogSource {

  private final List<Category> categories;
  private final Map<String, List<InventoryItem>> byCategory = new LinkedHashMap<>();
  private final Map<String, InventoryItem> bySku;
  private final CatalogSearch search;

  public JsonCatalogSource(CatalogFile.Contents contents) {
    this.categories = contents.categories();
    categories.forEach(c -> byCategory.put(c.id(), new ArrayList<>()));
    contents.items().forEach(item -> byCategory.get(item.category()).add(item));
    this.bySku = contents.items().stream()
        .collect(Collectors.toMap(i -> i.sku().toUpperCase(Locale.ROOT), Function.identity()));
    this.search = new CatalogSearch(contents.items(),
        categories.stream().collect(Collectors.toMap(Category::id, Function.identity())));
  }

  /** Reads the file (from disk, else the copy inside the jar); fails with a {@code ConfigException} listing its problems. */
  public static Future<JsonCatalogSource> load(Vertx vertx, String path) {
    return vertx.fileSystem().readFile(path)
        .recover(e -> Future.failedFuture(new io.wabot.config.ConfigException(List.of(path + ": cannot be read ("
            + e.getMessage() + "). Set CATALOG_PATH to your catalog file, e.g. CATALOG_PATH=conf/catalog.json"))))
        .map(buffer -> new JsonCatalogSource(CatalogFile.parse(path, buffer.toString())));
  }

  @Override
  public Future<List<Category>> categories() {
    return Future.succeededFuture(categories);
  }

  @Override
  public Future<List<InventoryItem>> items(String categoryId) {
    return Future.succeededFuture(List.copyOf(byCategory.getOrDefault(categoryId, List.of())));
  }

  @Override
  public Future<Optional<InventoryItem>> item(String sku) {
    return Future.succeededFuture(Optional.ofNullable(sku == null ? null : bySku.get(sku.toUpperCase(Locale.ROOT))));
  }

  @Override
  public Future<List<InventoryItem>> search(String query, int limit) {
    return Future.succeededFuture(search.search(query, limit));
  }
}
