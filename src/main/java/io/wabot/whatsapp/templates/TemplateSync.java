package io.wabot.whatsapp.templates;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.wabot.config.WhatsAppConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link TemplateRegistry} in step with the account: at start and every {@code period} it reads
 * {@code GET /{version}/{waba-id}/message_templates} page by page (following {@code paging.next}) and
 * replaces the registry with the complete list. A failed sync keeps the previous list: a Graph outage
 * must not make every template look unknown.
 */
public final class TemplateSync {

  private static final Logger LOG = LoggerFactory.getLogger(TemplateSync.class);
  static final String FIELDS = "name,language,status,category,components";
  /** A bound on pages, so a paging loop in a broken answer cannot run forever. */
  static final int MAX_PAGES = 100;

  private final Vertx vertx;
  private final WebClient client;
  private final WhatsAppConfig whatsapp;
  private final String businessAccountId;
  private final TemplateRegistry registry;
  private long timer = -1;

  public TemplateSync(Vertx vertx, WhatsAppConfig whatsapp, String businessAccountId, TemplateRegistry registry) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.whatsapp = whatsapp;
    this.businessAccountId = businessAccountId;
    this.registry = registry;
  }

  /** Syncs now and then every {@code period}; the returned future completes after the first sync, even a failed one. */
  public Future<Void> start(Duration period) {
    timer = vertx.setPeriodic(period.toMillis(), id -> sync());
    return sync().otherwiseEmpty().mapEmpty();
  }

  public void stop() {
    vertx.cancelTimer(timer);
    client.close();
  }

  /** One complete sync; the registry is replaced only when every page was read. */
  public Future<List<JsonObject>> sync() {
    String first = whatsapp.apiBaseUrl() + "/" + whatsapp.apiVersion() + "/" + businessAccountId
        + "/message_templates?limit=100&fields=" + FIELDS;
    return page(first, new ArrayList<>(), 0).onSuccess(all -> {
      registry.replace(all);
      LOG.atInfo().addKeyValue("event", "templates.synced").addKeyValue("templates", all.size())
          .log("Synced {} message templates from the WhatsApp Business Account", all.size());
    }).onFailure(e -> LOG.atWarn().addKeyValue("event", "templates.sync_failed")
        .log("Could not sync message templates (keeping the previous list): {}", e.getMessage()));
  }

  private Future<List<JsonObject>> page(String url, List<JsonObject> acc, int pages) {
    if (pages >= MAX_PAGES) {
      return Future.failedFuture("more than " + MAX_PAGES + " pages of templates");
    }
    return client.getAbs(url).bearerTokenAuthentication(whatsapp.accessToken().value()).send().compose(response -> {
      if (response.statusCode() != 200) {
        return Future.failedFuture("HTTP " + response.statusCode() + " from message_templates");
      }
      JsonObject body = response.bodyAsJsonObject();
      body.getJsonArray("data", new JsonArray()).forEach(t -> {
        if (t instanceof JsonObject template) {
          acc.add(template);
        }
      });
      String next = body.getJsonObject("paging", new JsonObject()).getString("next");
      return next == null ? Future.succeededFuture(acc) : page(next, acc, pages + 1);
    });
  }
}
