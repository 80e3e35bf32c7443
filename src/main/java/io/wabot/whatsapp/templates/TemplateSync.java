package io.wabot.whatsapp.templates;

import io.vertx.core.Vertx;
import io.wabot.config.WhatsAppConfig;
import io.wabot.whatsapp.sync.GraphListSync;

/**
 * Keeps a {@link TemplateRegistry} in step with the account: at start and every {@code period} it reads
 * {@code GET /{version}/{waba-id}/message_templates} page by page and replaces the registry with the
 * complete list. A failed sync keeps the previous list.
 */
public final class TemplateSync extends GraphListSync {

  static final String FIELDS = "name,language,status,category,components";

  public TemplateSync(Vertx vertx, WhatsAppConfig whatsapp, String businessAccountId, TemplateRegistry registry) {
    super(vertx, whatsapp, businessAccountId + "/message_templates?limit=100&fields=" + FIELDS, "templates", registry::replace);
  }
}
