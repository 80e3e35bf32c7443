package io.wabot.flows;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wabot.config.AppConfig;
import io.wabot.example.sales.JsonCatalogSource;
import io.wabot.example.sales.ReserveItemFlow;
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
    return JsonCatalogSource.load(services.vertx(), services.config().conversation().catalogPath())
        .map(catalog -> List.of(
            new ReserveItemFlow(catalog, services.clock())
            // , new YourFlowHandler(services)
        ));
  }
}
