package io.wabot.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.wabot.whatsapp.catalog.CatalogRegistry;
import io.wabot.whatsapp.outbound.InvalidMessageException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** turn.ui() refuses, while the flow builds it, a product message naming a retailer id the synced catalog lacks. */
class UiCatalogTest {

  static final String ANA = "16505551234";
  static final String CATALOG = "367025965434465";

  static CatalogRegistry synced(String... retailerIds) {
    CatalogRegistry registry = new CatalogRegistry();
    registry.replace(List.of(retailerIds).stream()
        .map(id -> new JsonObject().put("retailer_id", id).put("name", id).put("availability", "in stock")).toList());
    return registry;
  }

  @Test
  @DisplayName("known ids build; an unknown one is an error naming the field and the id; a flow can ask first")
  void checkedWhileBuilding() {
    Ui ui = new Ui(ANA, CATALOG, synced("AUD-001", "PHN-002"));

    assertThat(ui.product("AUD-001", "Best seller").content().getJsonObject("action").getString("product_retailer_id"))
        .isEqualTo("AUD-001");
    assertThatThrownBy(() -> ui.product("AUD-999", "Gone"))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessage("product_retailer_id AUD-999 is not in catalog 367025965434465 (2 products synced)");
    Map<String, List<String>> sections = new LinkedHashMap<>();
    sections.put("Audio", List.of("AUD-001", "AUD-998"));
    sections.put("Phones", List.of("PHN-002", "PHN-997"));
    assertThatThrownBy(() -> ui.products("Picks", "For you", sections))
        .hasMessage("product_retailer_id AUD-998, PHN-997 is not in catalog 367025965434465 (2 products synced)");

    assertThat(ui.unknownProducts(List.of("AUD-001", "AUD-998", "PHN-002"))).containsExactly("AUD-998");
  }

  @Test
  @DisplayName("before the catalog's first sync nothing is refused")
  void nothingRefusedBeforeASync() {
    Ui ui = new Ui(ANA, CATALOG, new CatalogRegistry());

    assertThat(ui.unknownProducts(List.of("ANY-1"))).isEmpty();
    assertThat(ui.product("ANY-1", "Maybe").content().getJsonObject("action").getString("product_retailer_id"))
        .isEqualTo("ANY-1");
  }
}
