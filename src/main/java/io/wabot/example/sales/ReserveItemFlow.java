package io.wabot.example.sales;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.flows.FlowEndpointHandler;
import io.wabot.flows.FlowRequest;
import io.wabot.flows.FlowResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The endpoint side of the "Reserve this item" flow ({@code conf/flows/reserve_item.json}): quantity,
 * pickup or delivery, a delivery slot and address, the customer's name. Every step reads the item's
 * stock from the {@link CatalogSource} again, so a reservation never asks for more than is there; the
 * closing answer carries the reservation (SKU, quantity, fulfilment, slot, address, name) into the
 * flow's completion message.
 *
 * <p>The flow token's context names the item: {@code {"sku": "AUD-001", "locale": "es"}}.
 */
public final class ReserveItemFlow implements FlowEndpointHandler {

  public static final String NAME = "reserve_item";
  static final int MAX_PER_RESERVATION = 5;
  static final int SLOT_DAYS = 3;
  private static final List<String[]> WINDOWS = List.of(new String[] {"am", "9:00–13:00"}, new String[] {"pm", "14:00–18:00"});
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);

  private final CatalogSource catalog;
  private final Clock clock;

  public ReserveItemFlow(CatalogSource catalog, Clock clock) {
    this.catalog = catalog;
    this.clock = clock;
  }

  @Override
  public String flowName() {
    return NAME;
  }

  @Override
  public Future<FlowResponse> onInit(FlowRequest request) {
    return item(request).map(found -> found.<FlowResponse>map(item -> item.inStock()
            ? FlowResponse.screen("QUANTITY", quantityScreen(item, locale(request)))
            : FlowResponse.noLongerAvailable("Sorry, " + item.name().in(locale(request), "en") + " is out of stock now."))
        .orElseGet(() -> FlowResponse.noLongerAvailable("Sorry, this item is no longer in our catalog.")));
  }

  @Override
  public Future<FlowResponse> onDataExchange(FlowRequest request) {
    return item(request).map(found -> {
      if (found.isEmpty()) {
        return FlowResponse.noLongerAvailable("Sorry, this item is no longer in our catalog.");
      }
      InventoryItem item = found.get();
      return switch (request.screen()) {
        case "QUANTITY" -> afterQuantity(request, item);
        case "DELIVERY" -> afterDelivery(request, item);
        case "CONTACT" -> reserve(request, item);
        default -> throw new UnknownScreenException(request.screen());
      };
    });
  }

  private FlowResponse afterQuantity(FlowRequest request, InventoryItem item) {
    int quantity = quantity(request.data());
    String fulfilment = request.data().getString("fulfilment", "");
    if (quantity < 1 || quantity > Math.min(item.stock(), MAX_PER_RESERVATION)) {
      return FlowResponse.screenWithError("QUANTITY", quantityScreen(item, locale(request)), item.inStock()
          ? "Only " + item.stock() + " left: pick up to " + Math.min(item.stock(), MAX_PER_RESERVATION) + "."
          : "Sorry, it has just sold out.");
    }
    String summary = quantity + " × " + item.name().in(locale(request), "en");
    if ("delivery".equals(fulfilment)) {
      return FlowResponse.screen("DELIVERY", new JsonObject().put("summary", summary)
          .put("quantity", Integer.toString(quantity)).put("slots", slots()));
    }
    if ("pickup".equals(fulfilment)) {
      return FlowResponse.screen("CONTACT", contact(summary + ", pick up in store", quantity, "pickup", "", ""));
    }
    return FlowResponse.screenWithError("QUANTITY", quantityScreen(item, locale(request)), "Choose pickup or delivery.");
  }

  private FlowResponse afterDelivery(FlowRequest request, InventoryItem item) {
    int quantity = quantity(request.data());
    String slot = request.data().getString("slot", "");
    String address = request.data().getString("address", "").strip();
    Optional<String> slotTitle = slotTitle(slot);
    String summary = quantity + " × " + item.name().in(locale(request), "en");
    if (slotTitle.isEmpty() || address.isEmpty()) {
      return FlowResponse.screenWithError("DELIVERY", new JsonObject().put("summary", summary)
          .put("quantity", Integer.toString(quantity)).put("slots", slots()),
          slotTitle.isEmpty() ? "That slot is no longer available; pick another." : "Type the delivery address.");
    }
    return FlowResponse.screen("CONTACT", contact(summary + ", delivery " + slotTitle.get(), quantity, "delivery", slot, address));
  }

  private FlowResponse reserve(FlowRequest request, InventoryItem item) {
    int quantity = quantity(request.data());
    String name = request.data().getString("customer_name", "").strip();
    if (quantity < 1 || quantity > item.stock()) {
      return FlowResponse.noLongerAvailable("Sorry, only " + item.stock() + " left now. Open the form again to"
          + " reserve fewer.");
    }
    if (name.isEmpty()) {
      JsonObject data = request.data().copy();
      data.remove("customer_name");
      return FlowResponse.screenWithError("CONTACT", data.put("summary", quantity + " × "
          + item.name().in(locale(request), "en")), "Type your name.");
    }
    return FlowResponse.close(new JsonObject()
        .put("sku", item.sku())
        .put("quantity", quantity)
        .put("fulfilment", request.data().getString("fulfilment", ""))
        .put("slot", request.data().getString("slot", ""))
        .put("slot_title", slotTitle(request.data().getString("slot", "")).orElse(""))
        .put("address", request.data().getString("address", ""))
        .put("customer_name", name));
  }

  private Future<Optional<InventoryItem>> item(FlowRequest request) {
    return catalog.item(request.token().context().getString("sku"));
  }

  private static String locale(FlowRequest request) {
    return request.token().context().getString("locale", "en");
  }

  private static JsonObject quantityScreen(InventoryItem item, String locale) {
    JsonArray quantities = new JsonArray();
    for (int n = 1; n <= Math.min(item.stock(), MAX_PER_RESERVATION); n++) {
      quantities.add(option(Integer.toString(n), Integer.toString(n)));
    }
    return new JsonObject()
        .put("item_name", item.name().in(locale, "en"))
        .put("item_price", item.priceBand().format())
        .put("stock_note", item.stock() + " in stock")
        .put("quantities", quantities)
        .put("fulfilment_options", new JsonArray().add(option("pickup", "Pick up in store")).add(option("delivery", "Delivery")));
  }

  private static JsonObject contact(String summary, int quantity, String fulfilment, String slot, String address) {
    return new JsonObject().put("summary", summary).put("quantity", Integer.toString(quantity))
        .put("fulfilment", fulfilment).put("slot", slot).put("address", address);
  }

  /** The delivery slots open now: two windows a day from tomorrow, for {@value #SLOT_DAYS} days. */
  JsonArray slots() {
    JsonArray slots = new JsonArray();
    LocalDate tomorrow = LocalDate.now(clock).plusDays(1);
    for (int d = 0; d < SLOT_DAYS; d++) {
      LocalDate day = tomorrow.plusDays(d);
      for (String[] window : WINDOWS) {
        slots.add(option(day + "-" + window[0], DAY.format(day) + ", " + window[1]));
      }
    }
    return slots;
  }

  private Optional<String> slotTitle(String id) {
    return slots().stream().map(JsonObject.class::cast).filter(s -> s.getString("id").equals(id))
        .map(s -> s.getString("title")).findFirst();
  }

  private static int quantity(JsonObject data) {
    try {
      return Integer.parseInt(String.valueOf(data.getValue("quantity")).strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static JsonObject option(String id, String title) {
    return new JsonObject().put("id", id).put("title", title);
  }
}
