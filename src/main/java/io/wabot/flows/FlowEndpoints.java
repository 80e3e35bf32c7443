package io.wabot.flows;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wabot.config.AppConfig;
import io.wabot.config.ConversationConfig;
import io.wabot.conversation.i18n.MessageCatalog;
import io.wabot.sales.JsonCatalogSource;
import io.wabot.sales.ReserveItemFlow;
import java.time.Clock;
import java.util.List;

/**
 * The WhatsApp Flows the endpoint serves, in one place. To add one, put its Flow JSON in
 * {@code conf/flows/<name>.json}, write a {@link FlowEndpointHandler} whose {@code flowName()} is
 * {@code <name>}, and add it to the list below. Start-up checks that handlers and files match.
 */
public final class FlowEndpoints {

  private FlowEndpoints() {
  }

  /** What handlers may need to build themselves. */
  public record Services(Vertx vertx, AppConfig config, Clock clock) {
  }

  public static Future<List<FlowEndpointHandler>> create(Services services) {
    ConversationConfig conversation = services.config().conversation();
    // The handlers' copy is the conversation's (conf/messages): the screens speak the customer's language.
    Future<MessageCatalog> messages = MessageCatalog.load(services.vertx(), conversation.messagesDir(),
        conversation.locales(), conversation.defaultLocale(), ReserveItemFlow.KEYS);
    return Future.all(JsonCatalogSource.load(services.vertx(), conversation.catalogPath()), messages)
        .map(loaded -> List.of(
            new ReserveItemFlow(loaded.resultAt(0), services.clock(), loaded.resultAt(1))
            // , new YourFlowHandler(services)
        ));
  }
}
