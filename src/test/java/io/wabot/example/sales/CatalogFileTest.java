package io.wabot.example.sales;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wabot.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CatalogFileTest {

  @Test
  @DisplayName("the shipped catalog has 20+ items over several categories, some out of stock, in English and Spanish")
  void shippedCatalog() throws Exception {
    CatalogFile.Contents contents = CatalogFile.parse("conf/catalog.json", Files.readString(Path.of("conf/catalog.json")));
    assertThat(contents.items()).hasSizeGreaterThanOrEqualTo(20);
    Set<String> used = contents.items().stream().map(InventoryItem::category).collect(Collectors.toSet());
    assertThat(used).hasSizeGreaterThanOrEqualTo(5);
    assertThat(contents.items()).filteredOn(i -> !i.inStock()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(contents.items()).allSatisfy(i -> {
      assertThat(i.name().byLocale()).containsKeys("en", "es");
      assertThat(i.description().byLocale()).containsKeys("en", "es");
      assertThat(i.escalation()).isNotBlank();
      assertThat(i.keywords()).isNotEmpty();
    });
    assertThat(contents.items().stream().collect(Collectors.groupingBy(InventoryItem::category, Collectors.counting())))
        .as("one category needs two pages").containsValue(12L);
  }

  @Test
  @DisplayName("a broken catalog is reported one actionable line per problem")
  void problems() {
    String bad = """
        {"categories": [{"id": "audio", "name": {"en": "Audio"}}],
         "items": [
           {"sku": "A-1", "name": {"en": "One"}, "category": "audio", "stock": 3, "priceBand": {"min": 10, "max": 20, "currency": "USD"}},
           {"sku": "a-1", "name": {"en": "Dup"}, "category": "audio", "stock": 1, "priceBand": {"min": 1, "max": 2, "currency": "USD"}},
           {"sku": "B-2", "name": "Two", "category": "video", "stock": -1, "priceBand": {"min": 30, "max": 20, "currency": "USD"}},
           {"name": "No SKU"}
         ]}""";
    assertThatThrownBy(() -> CatalogFile.parse("conf/catalog.json", bad))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "conf/catalog.json: SKU \"a-1\" is used by two items; SKUs must be unique (case does not matter)",
            "conf/catalog.json: item B-2: \"category\" must be one of the ids in \"categories\" [audio], got \"video\"",
            "conf/catalog.json: item B-2: \"stock\" must be a whole number, 0 or more (0 = out of stock). Example: \"stock\": 12",
            "conf/catalog.json: item B-2: \"priceBand\" needs numbers \"min\" ≤ \"max\", 0 or more. Example: \"priceBand\": {\"min\": 329, \"max\": 399, \"currency\": \"USD\"}",
            "conf/catalog.json: item #4: \"sku\" must be letters, digits, - or _ (at most 40). Example: \"sku\": \"AUD-001\""));
    assertThatThrownBy(() -> CatalogFile.parse("conf/catalog.json", "[1,"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
            .asString().startsWith("conf/catalog.json: is not valid JSON"));
  }

  @Test
  @DisplayName("an item's photo must be a public https link, which WhatsApp can fetch")
  void itemPhoto() {
    String catalog = """
        {"categories": [{"id": "audio", "name": {"en": "Audio"}}],
         "items": [
           {"sku": "A-1", "name": {"en": "One"}, "category": "audio", "stock": 3, "priceBand": {"min": 10, "max": 20, "currency": "USD"},
            "image": "https://shop.example.com/a-1.jpg"},
           {"sku": "B-2", "name": {"en": "Two"}, "category": "audio", "stock": 3, "priceBand": {"min": 10, "max": 20, "currency": "USD"},
            "image": "http://shop.example.com/b-2.jpg"}
         ]}""";
    assertThatThrownBy(() -> CatalogFile.parse("conf/catalog.json", catalog))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "conf/catalog.json: item B-2: \"image\" must be a public https URL of the item's photo (WhatsApp fetches it)."
                + " Example: \"image\": \"https://shop.example.com/img/aud-001.jpg\""));
    String fixed = catalog.replace("http://shop.example.com/b-2.jpg", "https://shop.example.com/b-2.jpg");
    assertThat(CatalogFile.parse("conf/catalog.json", fixed).items()).extracting(InventoryItem::image)
        .containsExactly("https://shop.example.com/a-1.jpg", "https://shop.example.com/b-2.jpg");
  }

  @Test
  @DisplayName("price bands read like a shop's: one price, or a range")
  void priceBands() {
    assertThat(new PriceBand(new java.math.BigDecimal("49"), new java.math.BigDecimal("49"), "USD").format()).isEqualTo("US$49");
    assertThat(new PriceBand(new java.math.BigDecimal("1099"), new java.math.BigDecimal("1299"), "MXN").format()).isEqualTo("MX$1,099–1,299");
    assertThat(new PriceBand(new java.math.BigDecimal("9.5"), new java.math.BigDecimal("12"), "EUR").format()).isEqualTo("€9.5–12");
  }
}
