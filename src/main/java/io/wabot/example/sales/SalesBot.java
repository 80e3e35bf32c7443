package io.wabot.example.sales;

import io.vertx.core.Future;
import io.wabot.bot.Bot;
import io.wabot.bot.BotServices;
import io.wabot.conversation.Flow;
import io.wabot.conversation.i18n.LocaleTable;
import io.wabot.flows.FlowEndpointHandler;
import java.util.List;

/**
 * The example bot: a sales representative for an inventory, registered in
 * {@code META-INF/services/io.wabot.bot.Bot}. Copy this package to start your own bot (see
 * docs/extending.md): a new flow is a class implementing {@link Flow}, its copy in
 * {@code conf/messages}, and one line in {@link #flows}; a new WhatsApp form is its Flow JSON in
 * {@code conf/flows}, a {@link FlowEndpointHandler} when its screens ask the endpoint, and one line in
 * {@link #flowEndpoints}.
 */
public final class SalesBot implements Bot {

  /**
   * Countries whose customers most likely read Spanish or regional Spanish: one table for both ways of
   * knowing the country, a phone number's calling code and a BSUID's ISO prefix. NANP numbers (+1)
   * default to English except Puerto Rico and the Dominican Republic.
   */
  public static final LocaleTable LOCALES = LocaleTable.builder()
      .country("MX", "es_MX", "52")
      .country("ES", "es", "34")
      .country("AR", "es", "54").country("CO", "es", "57").country("CL", "es", "56")
      .country("PE", "es", "51").country("VE", "es", "58").country("EC", "es", "593")
      .country("BO", "es", "591").country("PY", "es", "595").country("UY", "es", "598")
      .country("GT", "es", "502").country("SV", "es", "503").country("HN", "es", "504")
      .country("NI", "es", "505").country("CR", "es", "506").country("PA", "es", "507")
      .country("CU", "es", "53").country("GQ", "es", "240")
      .country("PR", "es", "1787", "1939")
      .country("DO", "es", "1809", "1829", "1849")
      .build();

  @Override
  public Future<List<Flow>> flows(BotServices services) {
    return catalog(services).map(catalog -> List.of(
        new SalesFlow(catalog, services.config().conversation().defaultLocale())
        // , new YourFlow(services)
    ));
  }

  @Override
  public Future<List<FlowEndpointHandler>> flowEndpoints(BotServices services) {
    // The reserve form's screens speak the customer's language: its copy is in conf/messages (ReserveItemFlow.KEYS).
    return Future.all(catalog(services), services.messages(ReserveItemFlow.KEYS)).map(loaded -> List.of(
        new ReserveItemFlow(loaded.resultAt(0), services.clock(), loaded.resultAt(1))
        // , new YourFormHandler(services)
    ));
  }

  @Override
  public LocaleTable locales() {
    return LOCALES;
  }

  /**
   * Where the inventory comes from: the JSON file of {@code CATALOG_PATH}. To read your inventory
   * system instead, return your own {@link CatalogSource} here.
   */
  private static Future<? extends CatalogSource> catalog(BotServices services) {
    return JsonCatalogSource.load(services.vertx(), services.config().conversation().catalogPath());
  }
}
