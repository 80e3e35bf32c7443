package io.wabot.whatsapp.catalog;

import io.vertx.core.Vertx;
import io.wabot.config.WhatsAppConfig;
import io.wabot.whatsapp.sync.GraphListSync;

/**
 * Keeps a {@link CatalogRegistry} in step with the Meta catalog: at start and every {@code period} it
 * reads {@code GET /{version}/{catalog-id}/products?fields=retailer_id,name,availability} page by page and
 * replaces the registry with the complete list. A failed sync keeps the previous list.
 */
public final class CatalogSync extends GraphListSync {

  static final String FIELDS = "retailer_id,name,availability";

  public CatalogSync(Vertx vertx, WhatsAppConfig whatsapp, String catalogId, CatalogRegistry registry) {
    super(vertx, whatsapp, catalogId + "/products?limit=100&fields=" + FIELDS, "products", registry::replace);
  }
}
