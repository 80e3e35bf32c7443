package io.wabot.whatsapp.catalog;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.wabot.config.Secret;
import io.wabot.config.WhatsAppConfig;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.whatsapp.outbound.OutboundMessage;
import io.wabot.whatsapp.outbound.ProductListMessage;
import io.wabot.whatsapp.outbound.ProductMessage;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The catalog's retailer ids synced from the simulated Graph API (Meta's product list and paging), and the check against them. */
@ExtendWith(VertxExtension.class)
class CatalogRegistryTest {

  static final String TOKEN = "sim-token";
  static final String CATALOG = "889900112233";
  static final String TO = "16505551234";

  GraphApiSimulator simulator;
  CatalogRegistry registry = new CatalogRegistry();

  /** The extension closes this Vert.x, and with it the simulator and the sync's client, after each test. */
  @BeforeEach
  void start(Vertx vertx) {
    simulator = new GraphApiSimulator(vertx, TOKEN, "106540352242922");
    await(simulator.listen("127.0.0.1", 0));
    simulator.catalog(CATALOG, IntStream.range(0, 130).mapToObj(i -> "SKU-" + i).toList());
  }

  CatalogSync sync(Vertx vertx, String token, String catalogId) {
    return new CatalogSync(vertx, new WhatsAppConfig(new Secret(token), "106540352242922", new Secret("app-secret"),
        new Secret("verify"), simulator.baseUrl(), "v23.0"), catalogId, registry);
  }

  static ProductListMessage list(String... ids) {
    return new ProductListMessage(TO, CATALOG, "Picks", "For you", null, List.of(new ProductListMessage.Section("All", List.of(ids))));
  }

  @Test
  @DisplayName("a sync reads every page of the catalog's products; before it, nothing is known and every id passes")
  void syncsAllPages(Vertx vertx) {
    assertThat(registry.problem(new ProductMessage(TO, CATALOG, "NOPE", "b", null).toJson())).isNull();
    assertThat(registry.unknown(List.of("NOPE"))).isEmpty();

    assertThat(await(sync(vertx, TOKEN, CATALOG).sync())).as("130 products: two pages of 100").hasSize(130)
        .extracting(p -> p.getString("retailer_id")).contains("SKU-0", "SKU-129");
    assertThat(registry.synced()).isTrue();
    assertThat(registry.size()).isEqualTo(130);
  }

  @Test
  @DisplayName("an id the catalog lacks is named with its field; known ids and other messages pass")
  void checks(Vertx vertx) {
    await(sync(vertx, TOKEN, CATALOG).sync());

    assertThat(registry.problem(new ProductMessage(TO, CATALOG, "SKU-7", "b", null).toJson())).isNull();
    assertThat(registry.problem(list("SKU-1", "SKU-129").toJson())).isNull();
    assertThat(registry.problem(OutboundMessage.text(TO, "SKU-404").toJson())).isNull();
    assertThat(registry.problem(new ProductMessage(TO, CATALOG, "SKU-404", "b", null).toJson()))
        .isEqualTo("product_retailer_id \"SKU-404\" not in catalog 889900112233 (130 products synced)");
    assertThat(registry.problem(list("SKU-1", "GONE-1", "SKU-2", "GONE-2").toJson()))
        .isEqualTo("product_retailer_id \"GONE-1\", \"GONE-2\" not in catalog 889900112233 (130 products synced)");
    assertThat(registry.unknown(List.of("SKU-3", "X"))).containsExactly("X");
  }

  @Test
  @DisplayName("a failed sync (revoked token, unknown catalog) keeps the list of the last good one")
  void failedSyncKeepsList(Vertx vertx) {
    await(sync(vertx, TOKEN, CATALOG).sync());
    simulator.catalog(CATALOG, List.of());

    assertThat(await(sync(vertx, "revoked-token", CATALOG).sync().otherwiseEmpty())).as("401: the sync failed").isNull();
    String reason = await(sync(vertx, TOKEN, "123").sync().map(ok -> "succeeded").otherwise(Throwable::getMessage));
    assertThat(reason).as("Meta's 400 for an unknown catalog").startsWith("HTTP 400 reading products: Unsupported get request."
        + " Object with ID '123' does not exist");
    assertThat(registry.size()).isEqualTo(130);
    assertThat(registry.unknown(List.of("SKU-5"))).isEmpty();
  }
}
