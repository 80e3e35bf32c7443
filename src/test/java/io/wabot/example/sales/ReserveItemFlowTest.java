package io.wabot.example.sales;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.conversation.i18n.MessageCatalog;
import io.wabot.flows.FlowAction;
import io.wabot.flows.FlowRequest;
import io.wabot.flows.FlowResponse;
import io.wabot.flows.FlowToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReserveItemFlowTest {

  private ReserveItemFlow flow;
  /** The customer's locale, as the sales flow puts it in the token. */
  private String locale = "en";

  @BeforeEach
  void catalog() throws Exception {
    String path = "conf/catalog.json";
    JsonCatalogSource catalog = new JsonCatalogSource(CatalogFile.parse(path, Files.readString(Path.of(path))));
    Map<String, String> files = new LinkedHashMap<>();
    for (String locale : List.of("en", "es", "es_MX")) {
      files.put(locale, Files.readString(Path.of("conf/messages/" + locale + ".json")));
    }
    MessageCatalog messages = MessageCatalog.parse("conf/messages", files, "en", ReserveItemFlow.KEYS, List.of());
    flow = new ReserveItemFlow(catalog, Clock.fixed(Instant.parse("2026-06-01T10:00:00Z"), ZoneOffset.UTC), messages);
  }

  private FlowRequest request(String sku, String screen, JsonObject data) {
    FlowToken token = new FlowToken("wbf1.t", "16505551234", ReserveItemFlow.NAME,
        new JsonObject().put("sku", sku).put("locale", locale), Instant.MAX);
    return new FlowRequest(screen == null ? FlowAction.INIT : FlowAction.DATA_EXCHANGE, screen, data, "3.0", token);
  }

  private FlowResponse answer(String sku, String screen, JsonObject data) {
    return (screen == null ? flow.onInit(request(sku, null, data)) : flow.onDataExchange(request(sku, screen, data))).result();
  }

  @Test
  @DisplayName("the first screen offers quantities up to the stock (at most 5); an item gone from the catalog closes the flow")
  void firstScreen() {
    FlowResponse.NextScreen first = (FlowResponse.NextScreen) answer("AUD-004", null, new JsonObject());
    assertThat(first.screen()).isEqualTo("QUANTITY");
    assertThat(first.data().getJsonArray("quantities")).hasSize(4);
    assertThat(first.data().getString("stock_note")).isEqualTo("4 in stock");
    assertThat(answer("NO-SUCH-SKU", null, new JsonObject())).isEqualTo(
        FlowResponse.noLongerAvailable("Sorry, this item is no longer in our catalog."));
  }

  @Test
  @DisplayName("delivery slots: two windows a day for three days from tomorrow; a slot not offered now is refused")
  void slots() {
    FlowResponse.NextScreen delivery = (FlowResponse.NextScreen) answer("AUD-001", "QUANTITY",
        new JsonObject().put("quantity", "1").put("fulfilment", "delivery"));
    assertThat(delivery.data().getJsonArray("slots").getJsonObject(0))
        .isEqualTo(new JsonObject().put("id", "2026-06-02-am").put("title", "Tue 2 Jun, 9:00–13:00"));
    assertThat(delivery.data().getJsonArray("slots").getJsonObject(5).getString("id")).isEqualTo("2026-06-04-pm");
    FlowResponse.NextScreen stale = (FlowResponse.NextScreen) answer("AUD-001", "DELIVERY",
        new JsonObject().put("quantity", "1").put("slot", "2026-06-01-am").put("address", "Calle 1"));
    assertThat(stale.screen()).isEqualTo("DELIVERY");
    assertThat(stale.errorMessage()).isEqualTo("That slot is no longer available; pick another.");
  }

  @Test
  @DisplayName("the reservation closes only with a name and while the stock still covers it")
  void reservation() {
    JsonObject contact = new JsonObject().put("quantity", "2").put("fulfilment", "pickup").put("slot", "").put("address", "");
    assertThat(((FlowResponse.NextScreen) answer("AUD-001", "CONTACT", contact.copy().put("customer_name", " "))).errorMessage())
        .isEqualTo("Type your name.");
    assertThat(answer("AUD-001", "CONTACT", contact.copy().put("customer_name", "Ada"))).isEqualTo(FlowResponse.close(new JsonObject()
        .put("sku", "AUD-001").put("quantity", 2).put("fulfilment", "pickup").put("slot", "").put("slot_title", "")
        .put("address", "").put("customer_name", "Ada")));
    assertThat(answer("PHN-002", "CONTACT", contact.copy().put("quantity", "4").put("customer_name", "Ada")))
        .isEqualTo(FlowResponse.noLongerAvailable("Sorry, only 3 left now. Open the form again to reserve fewer."));
  }

  @Test
  @DisplayName("the screens speak the customer's language: options, stock, summaries, errors and the days of the slots")
  void inSpanish() {
    locale = "es";
    FlowResponse.NextScreen first = (FlowResponse.NextScreen) answer("AUD-004", null, new JsonObject());
    assertThat(first.data().getString("stock_note")).isEqualTo("4 disponibles");
    assertThat(first.data().getJsonArray("fulfilment_options").getJsonObject(0).getString("title")).isEqualTo("Recoger en tienda");
    FlowResponse.NextScreen tooMany = (FlowResponse.NextScreen) answer("AUD-004", "QUANTITY",
        new JsonObject().put("quantity", "5").put("fulfilment", "pickup"));
    assertThat(tooMany.errorMessage()).isEqualTo("Solo quedan 4: elige hasta 4.");
    FlowResponse.NextScreen delivery = (FlowResponse.NextScreen) answer("AUD-001", "QUANTITY",
        new JsonObject().put("quantity", "1").put("fulfilment", "delivery"));
    assertThat(delivery.data().getJsonArray("slots").getJsonObject(0).getString("title")).startsWith("mar 2 jun");
    FlowResponse.NextScreen contact = (FlowResponse.NextScreen) answer("AUD-001", "DELIVERY",
        new JsonObject().put("quantity", "1").put("slot", "2026-06-02-am").put("address", "Calle 1"));
    assertThat(contact.data().getString("summary")).endsWith(", envío mar 2 jun, 9:00–13:00");

    locale = "es_MX";
    assertThat(answer("PHN-002", "CONTACT", new JsonObject().put("quantity", "4").put("customer_name", "Ana")))
        .isEqualTo(FlowResponse.noLongerAvailable("Perdón, ahora solo quedan 3. Abre el formulario otra vez para apartar menos."));
    assertThat(((FlowResponse.NextScreen) answer("AUD-004", null, new JsonObject())).data().getString("stock_note"))
        .as("what Mexican Spanish does not say differently comes from Spanish").isEqualTo("4 disponibles");
  }
}
