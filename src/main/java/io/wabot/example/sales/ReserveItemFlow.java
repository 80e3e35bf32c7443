package io.wabot.example.sales;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.conversation.i18n.MessageCatalog;
import io.wabot.conversation.i18n.Texts;
import io.wabot.flows.FlowEndpointHandler;
import io.wabot.flows.FlowRequest;
import io.wabot.flows.FlowResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The endpoint side of the "Reserve this item" flow ({@code conf/flows/reserve_item.json}): quantity,
 * pickup or delivery, a delivery slot and address, the customer's name. Every step reads the item's
 * stock from the {@link CatalogSource} again, so a reservation never asks for more than is there; the
 * closing answer carries the reservation (SKU, quantity, fulfilment, slot, address, name) into the
 * flow's completion message.
 *
 * <p>The flow token's context names the item and the customer's locale: {@code {"sku": "AUD-001", "locale":
 * "es"}}; what the handler writes on the screens (stock, options, summaries, errors, the days of the
 * slots) is the copy of {@code conf/messages} in that locale ({@link #KEYS}). The Flow JSON's own labels
 * are fixed text: a flow in another language is another file.
 */
public final class ReserveItemFlow implements FlowEndpointHandler {

  public static final String NAME = "reserve_item";
  static final int MAX_PER_RESERVATION = 5;
  static final int SLOT_DAYS = 3;
  private static final List<String[]> WINDOWS = List.of(new String[] {"am", "9:00–13:00"}, new String[] {"pm", "14:00–18:00"});
  /** The message keys the screens use, checked against conf/messages at start-up. */
  public static final Set<String> KEYS = Set.of("reserve.form.stock_note", "reserve.form.pickup", "reserve.form.delivery",
      "reserve.form.out_of_stock", "reserve.form.gone", "reserve.form.too_many", "reserve.form.sold_out",
      "reserve.form.choose_fulfilment", "reserve.form.summary.pickup", "reserve.form.summary.delivery",
      "reserve.form.slot_gone", "reserve.form.address", "reserve.form.fewer", "reserve.form.name");

  private final CatalogSource catalog;
  private final Clock clock;
  private final MessageCatalog messages;

  public ReserveItemFlow(CatalogSource catalog, Clock clock, MessageCatalog messages) {
    this.catalog = catalog;
    this.clock = clock;
    this.messages = messages;
  }

  @Override
  public String flowName() {
    return NAME;
  }

  @Override
  public Future<FlowResponse> onInit(FlowRequest request) {
    Texts texts = texts(request);
    return item(request).map(found -> found.<FlowResponse>map(item -> item.inStock()
            ? FlowResponse.screen("QUANTITY", quantityScreen(item, texts))
            : FlowResponse.noLongerAvailable(texts.get("reserve.form.out_of_stock", Texts.params("item", name(item, texts)))))
        .orElseGet(() -> FlowResponse.noLongerAvailable(texts.get("reserve.form.gone"))));
  }

  @Override
  public Future<FlowResponse> onDataExchange(FlowRequest request) {
    Texts texts = texts(request);
    return item(request).map(found -> {
      if (found.isEmpty()) {
        return FlowResponse.noLongerAvailable(texts.get("reserve.form.gone"));
      }
      InventoryItem item = found.get();
      return switch (request.screen()) {
        case "QUANTITY" -> afterQuantity(request, item, texts);
        case "DELIVERY" -> afterDelivery(request, item, texts);
        case "CONTACT" -> reserve(request, item, texts);
        default -> throw new UnknownScreenException(request.screen());
      };
    });
  }

  private FlowResponse afterQuantity(FlowRequest request, InventoryItem item, Texts texts) {
    int quantity = quantity(request.data());
    String fulfilment = request.data().getString("fulfilment", "");
    int most = Math.min(item.stock(), MAX_PER_RESERVATION);
    if (quantity < 1 || quantity > most) {
      return FlowResponse.screenWithError("QUANTITY", quantityScreen(item, texts), item.inStock()
          ? texts.get("reserve.form.too_many", Texts.params("count", item.stock(), "max", most))
          : texts.get("reserve.form.sold_out"));
    }
    String summary = quantity + " × " + name(item, texts);
    if ("delivery".equals(fulfilment)) {
      return FlowResponse.screen("DELIVERY", new JsonObject().put("summary", summary)
          .put("quantity", Integer.toString(quantity)).put("slots", slots(texts)));
    }
    if ("pickup".equals(fulfilment)) {
      return FlowResponse.screen("CONTACT", contact(texts.get("reserve.form.summary.pickup", Texts.params("summary", summary)),
          quantity, "pickup", "", ""));
    }
    return FlowResponse.screenWithError("QUANTITY", quantityScreen(item, texts), texts.get("reserve.form.choose_fulfilment"));
  }

  private FlowResponse afterDelivery(FlowRequest request, InventoryItem item, Texts texts) {
    int quantity = quantity(request.data());
    String slot = request.data().getString("slot", "");
    String address = request.data().getString("address", "").strip();
    Optional<String> slotTitle = slotTitle(slot, texts);
    String summary = quantity + " × " + name(item, texts);
    if (slotTitle.isEmpty() || address.isEmpty()) {
      return FlowResponse.screenWithError("DELIVERY", new JsonObject().put("summary", summary)
          .put("quantity", Integer.toString(quantity)).put("slots", slots(texts)),
          texts.get(slotTitle.isEmpty() ? "reserve.form.slot_gone" : "reserve.form.address"));
    }
    return FlowResponse.screen("CONTACT", contact(texts.get("reserve.form.summary.delivery",
        Texts.params("summary", summary, "slot", slotTitle.get())), quantity, "delivery", slot, address));
  }

  private FlowResponse reserve(FlowRequest request, InventoryItem item, Texts texts) {
    int quantity = quantity(request.data());
    String name = request.data().getString("customer_name", "").strip();
    if (quantity < 1 || quantity > item.stock()) {
      return FlowResponse.noLongerAvailable(texts.get("reserve.form.fewer", Texts.params("count", item.stock())));
    }
    if (name.isEmpty()) {
      JsonObject data = request.data().copy();
      data.remove("customer_name");
      return FlowResponse.screenWithError("CONTACT", data.put("summary", quantity + " × " + name(item, texts)),
          texts.get("reserve.form.name"));
    }
    return FlowResponse.close(new JsonObject()
        .put("sku", item.sku())
        .put("quantity", quantity)
        .put("fulfilment", request.data().getString("fulfilment", ""))
        .put("slot", request.data().getString("slot", ""))
        .put("slot_title", slotTitle(request.data().getString("slot", ""), texts).orElse(""))
        .put("address", request.data().getString("address", ""))
        .put("customer_name", name));
  }

  private Future<Optional<InventoryItem>> item(FlowRequest request) {
    return catalog.item(request.token().context().getString("sku"));
  }

  /** The copy in the customer's locale (the token's context), or the closest one the bot has. */
  private Texts texts(FlowRequest request) {
    String wanted = request.token().context().getString("locale", messages.defaultLocale());
    return messages.texts(messages.closestSupported(wanted), Map.of());
  }

  private String name(InventoryItem item, Texts texts) {
    return item.name().in(texts.locale(), messages.defaultLocale());
  }

  private JsonObject quantityScreen(InventoryItem item, Texts texts) {
    JsonArray quantities = new JsonArray();
    for (int n = 1; n <= Math.min(item.stock(), MAX_PER_RESERVATION); n++) {
      quantities.add(option(Integer.toString(n), Integer.toString(n)));
    }
    return new JsonObject()
        .put("item_name", name(item, texts))
        .put("item_price", item.priceBand().format())
        .put("stock_note", texts.get("reserve.form.stock_note", Texts.params("count", item.stock())))
        .put("quantities", quantities)
        .put("fulfilment_options", new JsonArray().add(option("pickup", texts.get("reserve.form.pickup")))
            .add(option("delivery", texts.get("reserve.form.delivery"))));
  }

  private static JsonObject contact(String summary, int quantity, String fulfilment, String slot, String address) {
    return new JsonObject().put("summary", summary).put("quantity", Integer.toString(quantity))
        .put("fulfilment", fulfilment).put("slot", slot).put("address", address);
  }

  /** The delivery slots open now: two windows a day from tomorrow, for {@value #SLOT_DAYS} days, days named in the locale. */
  JsonArray slots(Texts texts) {
    DateTimeFormatter day = DateTimeFormatter.ofPattern("EEE d MMM", Locale.forLanguageTag(texts.locale().replace('_', '-')));
    JsonArray slots = new JsonArray();
    LocalDate tomorrow = LocalDate.now(clock).plusDays(1);
    for (int d = 0; d < SLOT_DAYS; d++) {
      LocalDate date = tomorrow.plusDays(d);
      for (String[] window : WINDOWS) {
        slots.add(option(date + "-" + window[0], day.format(date) + ", " + window[1]));
      }
    }
    return slots;
  }

  private Optional<String> slotTitle(String id, Texts texts) {
    return slots(texts).stream().map(JsonObject.class::cast).filter(s -> s.getString("id").equals(id))
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
