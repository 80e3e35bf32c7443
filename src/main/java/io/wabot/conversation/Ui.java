package io.wabot.conversation;

import io.wabot.whatsapp.catalog.CatalogRegistry;
import io.wabot.whatsapp.outbound.Button;
import io.wabot.whatsapp.outbound.ButtonsMessage;
import io.wabot.whatsapp.outbound.CatalogMessage;
import io.wabot.whatsapp.outbound.CtaUrlMessage;
import io.wabot.whatsapp.outbound.FlowMessage;
import io.wabot.whatsapp.outbound.InvalidMessageException;
import io.wabot.whatsapp.outbound.Limits;
import io.wabot.whatsapp.outbound.ListMessage;
import io.wabot.whatsapp.outbound.AddressMessage;
import io.wabot.whatsapp.outbound.LocationRequestMessage;
import io.wabot.whatsapp.outbound.ProductListMessage;
import io.wabot.whatsapp.outbound.ProductMessage;
import io.wabot.whatsapp.outbound.TextMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Builds messages for one customer from {@link Choice}s, fitting every text to the Cloud API's limits
 * ({@link Fit}): a product name too long for a list row is shortened with an ellipsis rather than
 * rejected by the message builders.
 */
public final class Ui {

  /** A titled group of list rows. */
  public record Section(String title, List<Choice> rows) {
  }

  private final String to;
  private final String catalogId;
  private final CatalogRegistry products;

  public Ui(String to) {
    this(to, null);
  }

  /** {@code catalogId}: the Meta catalog linked to the number ({@code WHATSAPP_CATALOG_ID}), or null. */
  public Ui(String to, String catalogId) {
    this(to, catalogId, new CatalogRegistry());
  }

  /** {@code products}: the catalog's synced retailer ids; product messages naming another id are refused. */
  public Ui(String to, String catalogId, CatalogRegistry products) {
    this.to = to;
    this.catalogId = catalogId;
    this.products = products;
  }

  /**
   * The ids among {@code productRetailerIds} the catalog lacks, so a flow can leave them out instead of
   * building a message that would be refused. Empty until the catalog's first sync succeeds.
   */
  public List<String> unknownProducts(Collection<String> productRetailerIds) {
    return products.unknown(productRetailerIds);
  }

  public TextMessage text(String body) {
    return new TextMessage(to, Fit.to(body, Limits.TEXT_BODY), false, null);
  }

  public ButtonsMessage buttons(String body, List<Choice> choices) {
    return buttons(null, body, null, choices);
  }

  public ButtonsMessage buttons(String header, String body, String footer, List<Choice> choices) {
    List<Button> buttons = new ArrayList<>();
    for (Choice c : choices.subList(0, Math.min(choices.size(), Limits.MAX_BUTTONS))) {
      buttons.add(new Button(c.id(), Fit.to(c.title(), Limits.BUTTON_TITLE)));
    }
    return new ButtonsMessage(to, Fit.to(header, Limits.HEADER_TEXT), Fit.to(body, Limits.INTERACTIVE_BODY),
        Fit.to(footer, Limits.FOOTER), buttons);
  }

  /**
   * A message whose button opens the WhatsApp Flow {@code flowName} with an INIT request to the
   * endpoint ({@code data_exchange}), which picks the first screen. {@code flowToken}: from
   * {@link Turn#sendFlow}.
   */
  public FlowMessage flow(String body, String cta, String flowName, String flowToken) {
    return flow(null, body, cta, flowName, flowToken);
  }

  /** The same with a text header (e.g. the item's name). */
  public FlowMessage flow(String header, String body, String cta, String flowName, String flowToken) {
    return FlowMessage.builder(to, Fit.to(body, Limits.INTERACTIVE_BODY), Fit.to(cta, FlowMessage.CTA))
        .header(Fit.to(header, Limits.HEADER_TEXT)).flowName(flowName).flowToken(flowToken).dataExchange().build();
  }

  /** A button that opens {@code url} ({@code interactive.cta_url}). */
  public CtaUrlMessage link(String body, String buttonText, String url) {
    return new CtaUrlMessage(to, null, Fit.to(body, Limits.INTERACTIVE_BODY), null,
        Fit.to(buttonText, CtaUrlMessage.DISPLAY_TEXT), url);
  }

  /** Asks the customer to share their location; the answer arrives as a location message. */
  public LocationRequestMessage askLocation(String body) {
    return new LocationRequestMessage(to, Fit.to(body, Limits.INTERACTIVE_BODY));
  }

  /**
   * Asks for a shipping address with WhatsApp's address form ({@code country} IN or SG: Meta offers it
   * only there); the answer arrives as a form reply.
   */
  public AddressMessage askAddress(String body, String country) {
    return new AddressMessage(to, Fit.to(body, Limits.INTERACTIVE_BODY), country);
  }

  /** One product of the configured catalog, by its retailer id (SKU). */
  public ProductMessage product(String productRetailerId, String body) {
    requireInCatalog(List.of(productRetailerId));
    return new ProductMessage(to, catalog(), productRetailerId, Fit.to(body, Limits.INTERACTIVE_BODY), null);
  }

  /** Products of the configured catalog in titled sections ({@code title → retailer ids}, in order). */
  public ProductListMessage products(String header, String body, java.util.Map<String, List<String>> sections) {
    List<ProductListMessage.Section> built = new ArrayList<>();
    sections.forEach((title, ids) -> built.add(new ProductListMessage.Section(Fit.to(title, Limits.SECTION_TITLE), ids)));
    requireInCatalog(sections.values().stream().flatMap(List::stream).toList());
    return new ProductListMessage(to, catalog(), Fit.to(header, Limits.HEADER_TEXT), Fit.to(body, Limits.INTERACTIVE_BODY),
        null, built);
  }

  /** The "View catalog" button of the configured catalog. */
  public CatalogMessage catalogMessage(String body, String thumbnailProductRetailerId) {
    catalog();
    return new CatalogMessage(to, Fit.to(body, Limits.INTERACTIVE_BODY), null, thumbnailProductRetailerId);
  }

  /** Refused while building, with the field and the ids named, rather than dead-lettered by the sender later. */
  private void requireInCatalog(List<String> ids) {
    List<String> unknown = products.unknown(ids);
    if (!unknown.isEmpty()) {
      throw new InvalidMessageException("product_retailer_id " + String.join(", ", unknown) + " is not in catalog "
          + catalog() + " (" + products.size() + " products synced)");
    }
  }

  private String catalog() {
    if (catalogId == null) {
      throw new InvalidMessageException("no Meta catalog is configured: set WHATSAPP_CATALOG_ID to send products");
    }
    return catalogId;
  }

  public ListMessage list(String body, String buttonLabel, List<Choice> rows) {
    return list(null, body, null, buttonLabel, List.of(new Section(null, rows)));
  }

  public ListMessage list(String header, String body, String footer, String buttonLabel, List<Section> sections) {
    List<ListMessage.Section> built = new ArrayList<>();
    for (Section s : sections) {
      if (s.rows().isEmpty()) {
        continue;
      }
      List<ListMessage.Row> rows = new ArrayList<>();
      for (Choice c : s.rows()) {
        rows.add(new ListMessage.Row(c.id(), Fit.to(c.title(), Limits.ROW_TITLE), Fit.to(c.description(), Limits.ROW_DESCRIPTION)));
      }
      built.add(new ListMessage.Section(Fit.to(s.title(), Limits.SECTION_TITLE), rows));
    }
    return new ListMessage(to, Fit.to(header, Limits.HEADER_TEXT), Fit.to(body, Limits.INTERACTIVE_BODY),
        Fit.to(footer, Limits.FOOTER), Fit.to(buttonLabel, Limits.LIST_BUTTON_LABEL), built);
  }
}
