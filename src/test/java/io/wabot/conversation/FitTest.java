package io.wabot.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.wabot.whatsapp.outbound.ListMessage;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FitTest {

  @Test
  @DisplayName("text is shortened at a word boundary with an ellipsis, counting emoji as one character")
  void shortens() {
    assertThat(Fit.to("Nimbus ANC 700 Wireless Noise-Cancelling Headphones", 24)).isEqualTo("Nimbus ANC 700 Wireless…");
    assertThat(Fit.to("Boomcube Portable Speaker", 24)).isEqualTo("Boomcube Portable…");
    assertThat(Fit.to("Supercalifragilisticexpialidocious", 20)).isEqualTo("Supercalifragilisti…");
    assertThat(Fit.to("Short", 24)).isEqualTo("Short");
    assertThat(Fit.to("🎧🎧🎧🎧🎧", 5)).isEqualTo("🎧🎧🎧🎧🎧");
    assertThat(Fit.to("Cable, 2 m, braided, extra", 12)).isEqualTo("Cable, 2 m…");
  }

  @Test
  @DisplayName("a list built from long choices always passes the Cloud API limits")
  void listsFit() {
    String longText = "A very long product name that goes on and on and on and on, far beyond what WhatsApp allows anywhere";
    Ui ui = new Ui("16505551234");
    assertThatCode(() -> {
      ListMessage list = ui.list(longText, longText, longText, longText,
          List.of(new Ui.Section(longText, List.of(new Choice("x:1", longText, longText)))));
      assertThat(list.sections().get(0).rows().get(0).title()).hasSizeLessThanOrEqualTo(24);
      ui.buttons(longText.repeat(20), List.of(Choice.of("a", longText), Choice.of("b", "Second " + longText)));
    }).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("products come from the configured catalog; without one the flow author is told which setting to set")
  void catalog() {
    Ui ui = new Ui("16505551234", "367025965434465");
    assertThat(ui.product("SKU-1", "Still here").content().getJsonObject("action").getString("catalog_id"))
        .isEqualTo("367025965434465");
    java.util.Map<String, List<String>> sections = new java.util.LinkedHashMap<>();
    sections.put("A very long section title that does not fit", List.of("SKU-1"));
    sections.put("Casual", List.of("SKU-2"));
    assertThat(ui.products("Sneakers", "Pick", sections).sections()).extracting(s -> s.title())
        .containsExactly("A very long section…", "Casual");
    assertThat(ui.catalogMessage("Browse", null).type()).isEqualTo("interactive");
    assertThat(ui.link("x".repeat(2000), "Track your parcel now", "https://a.example").displayText()).isEqualTo("Track your parcel…");
    assertThat(ui.askLocation("Where?").content().getString("type")).isEqualTo("location_request_message");
    assertThat(new Ui("919876543210").askAddress("x".repeat(2000), "IN").body()).hasSize(1024);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Ui("16505551234").product("SKU-1", null))
        .isInstanceOf(io.wabot.whatsapp.outbound.InvalidMessageException.class).hasMessageContaining("WHATSAPP_CATALOG_ID");
  }
}
