package io.wabot.sender;

import static io.wabot.sender.SenderFixture.reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.testing.RedisExtension;
import io.wabot.whatsapp.outbound.ProductListMessage;
import io.wabot.whatsapp.outbound.ProductMessage;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With WHATSAPP_CATALOG_ID set, the sender syncs the catalog's products from the (simulated) Graph API at
 * start and refuses a product or product list message naming a retailer id the catalog lacks.
 */
class CatalogCheckSendTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String ANA = "16505551234";
  static final String CATALOG = "889900112233";

  SenderFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  static JsonObject catalogConfig() {
    return new JsonObject().put("whatsapp", new JsonObject().put("catalogId", CATALOG));
  }

  @Test
  @DisplayName("synced at start: a known product is sent, an unknown id is a dead letter naming it and never reaches Meta")
  void unknownIdRefused() {
    SenderFixture f = fixture = new SenderFixture(REDIS.url(), catalogConfig(),
        simulator -> simulator.catalog(CATALOG, List.of("AUD-001", "PHN-002")));

    f.enqueue(reply(ANA, "t1:r0", new ProductMessage(ANA, CATALOG, "AUD-001", "Our best seller", null), "en"));
    f.awaitDrained(f.simulator.awaitAccepted(1));

    f.enqueue(reply(ANA, "t2:r0", new ProductListMessage(ANA, CATALOG, "Picks", "For you", null,
        List.of(new ProductListMessage.Section("Audio", List.of("AUD-001", "AUD-999")))), "en"));
    f.awaitDeadLetters(1);
    assertThat(f.deadLetters().get(0).reason())
        .isEqualTo("product_retailer_id \"AUD-999\" not in catalog 889900112233 (2 products synced)");
    assertThat(f.simulator.requests()).as("only the known product reached Meta").hasSize(1)
        .extracting(r -> r.body().getJsonObject("interactive").getJsonObject("action").getString("product_retailer_id"))
        .containsExactly("AUD-001");
  }

  @Test
  @DisplayName("until a sync succeeds (here Meta does not know the catalog) nothing is refused")
  void nothingRefusedBeforeASync() {
    SenderFixture f = fixture = new SenderFixture(REDIS.url(), catalogConfig());

    f.enqueue(reply(ANA, "t1:r0", new ProductMessage(ANA, CATALOG, "AUD-999", "Maybe", null), "en"));
    f.awaitDrained(f.simulator.awaitAccepted(1));
    assertThat(f.deadLetters()).isEmpty();
  }
}
