package io.wabot.whatsapp.sync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import io.wabot.config.NumberConfig;
import io.wabot.config.WhatsAppConfig;
import io.wabot.whatsapp.catalog.CatalogRegistry;
import io.wabot.whatsapp.catalog.CatalogSync;
import io.wabot.whatsapp.templates.TemplateRegistry;
import io.wabot.whatsapp.templates.TemplateSync;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lists the bot checks messages against, synced once per process: the templates of each business
 * account and the products of each catalog. Every sender instance and conversation worker of the process
 * reads the same registry, so that a process with eight sender instances and four workers reads an account's
 * templates once per period, not twelve times; numbers sharing an account or a catalog share its list.
 *
 * <p>One per Vert.x instance ({@link #of}). A list is synced from the first holder that asks for it, with the
 * token of the number that asked (any number of the account can read it); holders {@link #hold()} it while they
 * run and {@link #release()} it when they stop, and the syncs stop with the last holder. The periodic syncs run
 * on the context of the holder that started them: when that deployment alone is undeployed while others run,
 * the lists stay as last synced until a holder asks for a list not yet synced.
 */
public final class SyncedLists implements Shareable {

  private static final String MAP = "wabot.synced-lists";
  private static final String KEY = "lists";
  /** How often the lists are read again: a template paused or a product added in Meta's managers shows up within it. */
  public static final Duration PERIOD = Duration.ofMinutes(15);
  /** The list of a number without a business account or catalog: never synced, so nothing is checked against it. */
  private static final TemplateRegistry NO_TEMPLATES = new TemplateRegistry();
  private static final CatalogRegistry NO_CATALOG = new CatalogRegistry();

  private record Synced<R>(R registry, GraphListSync sync, Future<Void> first) {
  }

  private final Vertx vertx;
  private final WhatsAppConfig whatsapp;
  private final Map<String, Synced<TemplateRegistry>> templates = new ConcurrentHashMap<>();
  private final Map<String, Synced<CatalogRegistry>> catalogs = new ConcurrentHashMap<>();
  private int holders;

  private SyncedLists(Vertx vertx, WhatsAppConfig whatsapp) {
    this.vertx = vertx;
    this.whatsapp = whatsapp;
  }

  /** This Vert.x instance's lists, reading the Graph API at {@code whatsapp}'s base URL and version. */
  public static SyncedLists of(Vertx vertx, WhatsAppConfig whatsapp) {
    return (SyncedLists) vertx.sharedData().<String, SyncedLists>getLocalMap(MAP)
        .computeIfAbsent(KEY, k -> new SyncedLists(vertx, whatsapp));
  }

  /** A holder starts: the lists keep being synced until every holder has {@link #release() released} them. */
  public synchronized void hold() {
    holders++;
  }

  /** A holder stops; the last one stops the syncs. */
  public synchronized void release() {
    if (--holders > 0) {
      return;
    }
    templates.values().forEach(s -> s.sync().stop());
    catalogs.values().forEach(s -> s.sync().stop());
    templates.clear();
    catalogs.clear();
  }

  /** The templates of the number's business account; an unsynced, empty registry when it has none. */
  public TemplateRegistry templates(NumberConfig number) {
    String account = number.businessAccountId();
    return account == null ? NO_TEMPLATES : templates.computeIfAbsent(account, a -> {
      TemplateRegistry registry = new TemplateRegistry();
      TemplateSync sync = new TemplateSync(vertx, as(number), a, registry);
      return new Synced<>(registry, sync, sync.start(PERIOD));
    }).registry();
  }

  /** The products of the number's catalog; an unsynced, empty registry when it has none. */
  public CatalogRegistry catalog(NumberConfig number) {
    String catalogId = number.conversation().catalogId();
    return catalogId == null ? NO_CATALOG : catalogs.computeIfAbsent(catalogId, c -> {
      CatalogRegistry registry = new CatalogRegistry();
      CatalogSync sync = new CatalogSync(vertx, as(number), c, registry);
      return new Synced<>(registry, sync, sync.start(PERIOD));
    }).registry();
  }

  /** The products of the number's catalog once its first sync is over (even a failed one); unsynced when it has none. */
  public Future<CatalogRegistry> syncedCatalog(NumberConfig number) {
    CatalogRegistry registry = catalog(number);
    Synced<CatalogRegistry> synced = number.conversation().catalogId() == null ? null
        : catalogs.get(number.conversation().catalogId());
    return synced == null ? Future.succeededFuture(registry) : synced.first().map(registry);
  }

  /** Starts the lists of these numbers (templates and catalog); completes after each one's first sync, even a failed one. */
  public Future<Void> start(Collection<NumberConfig> numbers, boolean withTemplates) {
    for (NumberConfig number : numbers) {
      if (withTemplates) {
        templates(number);
      }
      catalog(number);
    }
    List<Future<Void>> firsts = new java.util.ArrayList<>();
    templates.values().forEach(s -> firsts.add(s.first()));
    catalogs.values().forEach(s -> firsts.add(s.first()));
    return Future.all(firsts).mapEmpty();
  }

  /** The Graph API as one number reads it: its token. */
  private WhatsAppConfig as(NumberConfig number) {
    return new WhatsAppConfig(number.accessToken(), number.phoneNumberId(), number.appSecret(), number.verifyToken(),
        whatsapp.apiBaseUrl(), whatsapp.apiVersion());
  }
}
