package io.wabot.whatsapp.sync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.wabot.config.WhatsAppConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a Graph API list edge (e.g. {@code /{waba-id}/message_templates}, {@code /{catalog-id}/products})
 * at start and every {@code period}, page by page (following {@code paging.next}), and hands the complete
 * list to {@code onSynced}. A failed sync hands over nothing, so the holder keeps its previous list: a
 * Graph outage must not make everything look unknown. Each list the bot keeps is a subclass that names
 * its edge and its holder ({@code TemplateSync}, {@code CatalogSync}).
 */
public class GraphListSync {

  private static final Logger LOG = LoggerFactory.getLogger(GraphListSync.class);
  /** A bound on pages, so a paging loop in a broken answer cannot run forever. */
  public static final int MAX_PAGES = 100;

  private final Vertx vertx;
  private final WebClient client;
  private final WhatsAppConfig whatsapp;
  private final String pathAndQuery;
  private final String what;
  private final Consumer<List<JsonObject>> onSynced;
  private long timer = -1;

  /**
   * @param pathAndQuery the edge after the version, e.g. {@code 123/products?limit=100&fields=retailer_id}
   * @param what         what the list holds, for the logs and the {@code <what>.synced} events
   */
  public GraphListSync(Vertx vertx, WhatsAppConfig whatsapp, String pathAndQuery, String what,
      Consumer<List<JsonObject>> onSynced) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.whatsapp = whatsapp;
    this.pathAndQuery = pathAndQuery;
    this.what = what;
    this.onSynced = onSynced;
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

  /** One complete sync; {@code onSynced} runs only when every page was read. */
  public Future<List<JsonObject>> sync() {
    String first = whatsapp.apiBaseUrl() + "/" + whatsapp.apiVersion() + "/" + pathAndQuery;
    return page(first, new ArrayList<>(), 0).onSuccess(all -> {
      onSynced.accept(all);
      LOG.atInfo().addKeyValue("event", what + ".synced").addKeyValue(what, all.size())
          .log("Synced {} {} from the Graph API", all.size(), what);
    }).onFailure(e -> LOG.atWarn().addKeyValue("event", what + ".sync_failed")
        .log("Could not sync {} (keeping the previous list): {}", what, e.getMessage()));
  }

  private Future<List<JsonObject>> page(String url, List<JsonObject> acc, int pages) {
    if (pages >= MAX_PAGES) {
      return Future.failedFuture("more than " + MAX_PAGES + " pages of " + what);
    }
    return client.getAbs(url).bearerTokenAuthentication(whatsapp.accessToken().value()).send().compose(response -> {
      if (response.statusCode() != 200) {
        // Meta's error message says why (unknown object, missing permission); it carries no secret.
        String reason = response.bodyAsJsonObject() == null ? ""
            : ": " + response.bodyAsJsonObject().getJsonObject("error", new JsonObject()).getString("message", "");
        return Future.failedFuture("HTTP " + response.statusCode() + " reading " + what + reason);
      }
      JsonObject body = response.bodyAsJsonObject();
      body.getJsonArray("data", new JsonArray()).forEach(item -> {
        if (item instanceof JsonObject object) {
          acc.add(object);
        }
      });
      String next = body.getJsonObject("paging", new JsonObject()).getString("next");
      return next == null ? Future.succeededFuture(acc) : page(next, acc, pages + 1);
    });
  }
}
