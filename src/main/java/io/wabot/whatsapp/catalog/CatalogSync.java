package io.wabot.whatsapp.catalog;

import io.vertx.core.Vertx;
import io.wabot.config.WhatsAppConfig;
import io.wabot.whatsapp.sync.GraphListSync;
import java.time.Duration;

/**
 * Keeps a {@link CatalogRegistry} in step with the Meta catalog: at start and every {@code period} it
 * reads {@code GET /{version}/{catalog-id}/products?fields=retailer_id,name,availability} page by page and
 * replaces the registry with the complete list. A failed sync keeps the previous list.
 */
public final class CatalogSync extends GraphListSync {

  static final String FIELDS = "retailer_id,name,availability";
  /** How often the catalog is read again (with the templates): a product added in Commerce Manager shows up within it. */
  public static final Duration PERIOD = Duration.ofMinutes(15);

  public CatalogSync(Vertx vertx, WhatsAppConfig whatsapp, String catalogId, CatalogRegistry registry) {
    super(vertx, whatsapp, catalogId + "/products?limit=100&fields=" + FIELDS, "products", registry::replace);
  }
}
