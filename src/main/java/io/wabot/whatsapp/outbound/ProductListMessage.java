package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Up to 30 products of the Meta catalog in up to 10 titled sections ({@code interactive.type =
 * product_list}). Meta requires the text header and the body.
 */
public record ProductListMessage(String to, String catalogId, String header, String body, String footer,
    List<Section> sections) implements InteractiveMessage {

  public static final int MAX_SECTIONS = 10;
  public static final int MAX_PRODUCTS = 30;

  /** A titled group of products, by their retailer ids (SKUs) in the catalog. */
  public record Section(String title, List<String> productRetailerIds) {
    public Section {
      Limits.requiredMax(title, Limits.SECTION_TITLE, "product section title");
      Limits.count(productRetailerIds, 1, MAX_PRODUCTS, "products of section \"" + title + "\"");
      productRetailerIds = List.copyOf(productRetailerIds);
      productRetailerIds.forEach(id -> Limits.required(id, "product_retailer_id in section \"" + title + "\""));
    }
  }

  public ProductListMessage {
    Limits.recipient(to);
    Interactive.catalogId(catalogId);
    Limits.required(header, "product list header");
    Interactive.frame(header, body, true, footer);
    Limits.count(sections, 1, MAX_SECTIONS, "product sections");
    sections = List.copyOf(sections);
    int total = sections.stream().mapToInt(s -> s.productRetailerIds().size()).sum();
    if (total > MAX_PRODUCTS) {
      throw new InvalidMessageException("product list has " + total + " products; WhatsApp allows at most "
          + MAX_PRODUCTS + " in all sections together");
    }
    Set<String> seen = new HashSet<>();
    sections.stream().flatMap(s -> s.productRetailerIds().stream()).forEach(id -> {
      if (!seen.add(id)) {
        throw new InvalidMessageException("product_retailer_id \"" + id + "\" is listed twice");
      }
    });
  }

  @Override
  public JsonObject content() {
    JsonArray array = new JsonArray();
    for (Section s : sections) {
      JsonArray items = new JsonArray();
      s.productRetailerIds().forEach(id -> items.add(new JsonObject().put("product_retailer_id", id)));
      array.add(new JsonObject().put("title", s.title()).put("product_items", items));
    }
    return Interactive.of("product_list", header, body, footer)
        .put("action", new JsonObject().put("catalog_id", catalogId).put("sections", array));
  }
}
