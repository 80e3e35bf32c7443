package io.wabot.example.sales;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wabot.conversation.Flow;
import io.wabot.config.ConversationConfig;

import java.util.List;

/**
 * The flows the bot runs, in one place. The first is the home flow: its start is the main menu, and it
 * gets free text no other flow claims. To add a flow, write a class implementing {@link Flow} and add
 * one line here; to read the inventory from your own system, replace {@link JsonCatalogSource} with your
 * {@code CatalogSource}.
 */
public final class Flows {

  private Flows() {
  }

  /** What flows may need to build themselves. */
  public record Services(Vertx vertx, ConversationConfig config) {
  }

  public static Future<List<Flow>> create(Services services) {
    return JsonCatalogSource.load(services.vertx(), services.config().catalogPath())
        .map(catalog -> List.of(
            new SalesFlow(catalog, services.config().defaultLocale())
            // , new YourFlow(services)
        ));
  }
}
