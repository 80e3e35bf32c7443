package io.wabot.example.sales;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wabot.conversation.Choice;
import io.wabot.conversation.ConversationState;
import io.wabot.conversation.Escalation;
import io.wabot.conversation.Flow;
import io.wabot.conversation.Turn;
import io.wabot.conversation.i18n.Texts;
import io.wabot.flows.FlowCompletion;
import io.wabot.media.MediaKind;
import io.wabot.whatsapp.outbound.MediaMessage;
import io.wabot.observability.Events;
import io.wabot.whatsapp.inbound.InboundMessage;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sample flow: a sales representative for an inventory (spec FR-005a). The customer browses
 * categories or searches, sees an item's availability and price band, gets in-stock alternatives when
 * it is out of stock, and reserves it or asks a person, who takes over with the item in context.
 *
 * <p>Choice ids carry what they refer to ({@code sales:item:AUD-001}, {@code sales:cat:audio:2}), so a
 * tap still works after the conversation's state expired; only "Back" and the pages of a search need
 * the state, and without it the customer gets an apology and the menu.
 */
public final class SalesFlow implements Flow {

  private static final Logger LOG = LoggerFactory.getLogger(SalesFlow.class);

  static final String NAME = "sales";
  static final String SKU = "sales.sku";
  static final String QUERY = "sales.query";
  static final String BACK = "sales.back";
  private static final int SEARCH_LIMIT = 30;
  private static final int ALTERNATIVES = 3;

  private final CatalogSource catalog;
  private final String defaultLocale;

  public SalesFlow(CatalogSource catalog, String defaultLocale) {
    this.catalog = catalog;
    this.defaultLocale = defaultLocale;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Void> start(Turn turn, String intro) {
    SalesScreens screens = screens(turn);
    turn.goTo("menu").forget(SKU, QUERY, BACK);
    turn.send(screens.menu(intro));
    return Future.succeededFuture();
  }

  /** A photo or a document the customer sent while browsing (a broken part, an ad, a list): the team should see it. */
  @Override
  public boolean takesMedia(Turn turn) {
    return turn.media().filter(media -> media.stored()
        && (media.kind() == MediaKind.IMAGE || media.kind() == MediaKind.DOCUMENT)).isPresent();
  }

  @Override
  public Future<Void> handle(Turn turn) {
    if (turn.message() instanceof InboundMessage.Order order) {
      return cartToTeam(turn, order);
    }
    String choice = turn.choice();
    Future<Void> answered;
    if (turn.media().isPresent()) {
      turn.send(screens(turn).mediaReceived(turn.media().get().kind()));
      answered = Future.succeededFuture();
    } else if (turn.completedFlow() != null) {
      answered = reserved(turn, turn.completedFlow());
    } else if (choice == null) {
      answered = freeText(turn);
    } else if (choice.equals("sales:browse")) {
      answered = categories(turn);
    } else if (choice.equals("sales:search")) {
      turn.goTo("awaiting_search").say("search.prompt");
      answered = Future.succeededFuture();
    } else if (choice.startsWith("sales:cat:")) {
      String[] parts = choice.substring("sales:cat:".length()).split(":");
      answered = category(turn, parts[0], parts.length > 1 ? page(parts[1]) : 1);
    } else if (choice.startsWith("sales:results:")) {
      answered = results(turn, turn.state().context(QUERY), page(turn.chosen("sales:results:")));
    } else if (choice.startsWith("sales:item:")) {
      answered = withItem(turn, turn.chosen("sales:item:"), item -> detail(turn, item));
    } else if (choice.startsWith("sales:reserve:")) {
      answered = withItem(turn, turn.chosen("sales:reserve:"), item -> reserve(turn, item));
    } else if (choice.startsWith("sales:ask:")) {
      answered = withItem(turn, turn.chosen("sales:ask:"), item -> ask(turn, item));
    } else if (choice.equals("sales:back")) {
      answered = back(turn);
    } else {
      turn.cannotFollow();
      answered = Future.succeededFuture();
    }
    return answered.recover(e -> {
      Events.error(LOG, "sales.catalog_failed").setCause(e).log("The catalog could not answer; apologising to the customer");
      return start(turn, turn.texts().get("error.catalog"));
    });
  }

  private Future<Void> freeText(Turn turn) {
    boolean searching = "awaiting_search".equals(turn.state().step());
    String query = turn.text().strip();
    return catalog.search(query, SEARCH_LIMIT).compose(found -> {
      if (found.isEmpty()) {
        if (searching) {
          turn.goTo("awaiting_search").send(screens(turn).noResults(query));
        } else {
          turn.misunderstood();
        }
        return Future.succeededFuture();
      }
      if (found.size() == 1) {
        turn.forget(BACK);
        return detail(turn, found.get(0));
      }
      turn.remember(QUERY, query);
      return results(turn, query, 1);
    });
  }

  private Future<Void> categories(Turn turn) {
    return catalog.categories().map(all -> {
      turn.goTo("categories").forget(BACK);
      turn.send(screens(turn).categories(all));
      return null;
    });
  }

  private Future<Void> category(Turn turn, String categoryId, int page) {
    return catalog.categories().compose(all -> {
      Optional<Category> category = all.stream().filter(c -> c.id().equals(categoryId)).findFirst();
      if (category.isEmpty()) {
        turn.cannotFollow();
        return Future.succeededFuture();
      }
      return catalog.items(categoryId).map(items -> {
        Pagination<InventoryItem> shown = Pagination.of(inStockFirst(items), page);
        turn.goTo("items").remember(BACK, "sales:cat:" + categoryId + ":" + shown.page());
        turn.send(screens(turn).items(category.get(), shown, items.size()));
        return null;
      });
    });
  }

  private Future<Void> results(Turn turn, String query, int page) {
    if (query == null) {
      turn.cannotFollow(); // "More results" of a search this conversation no longer remembers
      return Future.succeededFuture();
    }
    return catalog.search(query, SEARCH_LIMIT).map(found -> {
      if (found.isEmpty()) {
        turn.goTo("awaiting_search").send(screens(turn).noResults(query));
        return null;
      }
      Pagination<InventoryItem> shown = Pagination.of(found, page);
      turn.goTo("results").remember(QUERY, query).remember(BACK, "sales:results:" + shown.page());
      turn.send(screens(turn).results(query, shown, found.size()));
      return null;
    });
  }

  private Future<Void> detail(Turn turn, InventoryItem item) {
    turn.goTo("item").remember(SKU, item.sku());
    boolean canGoBack = turn.state().context(BACK) != null;
    if (item.image() != null) {
      // The photo first: the details with their buttons stay the latest message, whose options the customer can type.
      turn.send(MediaMessage.byLink(turn.customer().address(), "image", item.image(), name(turn, item)));
    }
    if (item.inStock()) {
      turn.send(screens(turn).detail(item, canGoBack));
      return Future.succeededFuture();
    }
    return catalog.alternatives(item, ALTERNATIVES).map(alternatives -> {
      turn.send(screens(turn).outOfStock(item, alternatives, canGoBack));
      return null;
    });
  }

  private Future<Void> reserve(Turn turn, InventoryItem item) {
    if (!item.inStock()) {
      return detail(turn, item); // sold out since the button was shown: offer alternatives instead
    }
    turn.remember(SKU, item.sku());
    if (!turn.canSendFlows()) {
      // Without a Flows key the form cannot open: a person takes the reservation in the chat instead.
      turn.escalate(new Escalation("reserve", name(turn, item), new JsonObject().put("item", item.toTeamJson(defaultLocale))));
      return Future.succeededFuture();
    }
    turn.goTo("reserving");
    JsonObject context = new JsonObject().put("sku", item.sku()).put("locale", turn.texts().locale());
    String itemName = name(turn, item);
    return turn.sendFlow(ReserveItemFlow.NAME, context, token -> turn.ui().flow(itemName,
        turn.texts().get("reserve.flow.body", Texts.params("item", itemName)), turn.texts().get("reserve.flow.cta"),
        ReserveItemFlow.NAME, token));
  }

  /**
   * The customer sent the "Reserve this item" form: a person takes over with the reservation attached
   * (the team's message sums it up; the hand-off event carries every answer).
   */
  private Future<Void> reserved(Turn turn, FlowCompletion form) {
    // The item is the one the bot put in the token: the answers come from the customer's phone.
    String sku = form.context("sku");
    return withItem(turn, sku, item -> {
      turn.remember(SKU, item.sku());
      String summary = turn.texts().get("delivery".equals(form.answer("fulfilment")) ? "reserve.summary.delivery"
          : "reserve.summary.pickup", Texts.params("quantity", form.answer("quantity"), "item", name(turn, item),
              "slot", form.answer("slot_title"), "address", form.answer("address"), "customer", form.answer("customer_name")));
      turn.escalate(new Escalation("reservation", summary, new JsonObject().put("item", item.toTeamJson(defaultLocale))
          .put("reservation", form.answers())));
      return Future.succeededFuture();
    });
  }

  private Future<Void> ask(Turn turn, InventoryItem item) {
    turn.remember(SKU, item.sku());
    String reason = item.inStock() ? "product_question" : "out_of_stock";
    turn.escalate(new Escalation(reason, name(turn, item), new JsonObject().put("item", item.toTeamJson(defaultLocale))));
    return Future.succeededFuture();
  }

  private Future<Void> back(Turn turn) {
    String target = turn.state().context(BACK);
    if (target == null) {
      if (turn.newConversation()) {
        turn.cannotFollow();
        return Future.succeededFuture();
      }
      return start(turn, null);
    }
    if (target.startsWith("sales:results:")) {
      return results(turn, turn.state().context(QUERY), page(target.substring("sales:results:".length())));
    }
    String[] parts = target.substring("sales:cat:".length()).split(":");
    return category(turn, parts[0], parts.length > 1 ? page(parts[1]) : 1);
  }

  private Future<Void> withItem(Turn turn, String sku, java.util.function.Function<InventoryItem, Future<Void>> action) {
    return catalog.item(sku).compose(item -> {
      if (item.isEmpty()) {
        turn.cannotFollow(); // an item that left the catalog since the list was sent
        return Future.succeededFuture();
      }
      return action.apply(item.get());
    });
  }

  @Override
  public Future<JsonObject> describeForTeam(ConversationState state) {
    JsonObject context = new JsonObject().put("step", state.step()).put("search", state.context(QUERY));
    String sku = state.context(SKU);
    if (sku == null) {
      return Future.succeededFuture(context);
    }
    return catalog.item(sku).map(item -> item.map(i -> context.put("item", i.toTeamJson(defaultLocale))).orElse(context));
  }

  @Override
  public Set<String> messageKeys() {
    return SalesScreens.KEYS;
  }

  private SalesScreens screens(Turn turn) {
    return new SalesScreens(turn.ui(), turn.texts(), defaultLocale, turn.state().profileName());
  }

  private String name(Turn turn, InventoryItem item) {
    return item.name().in(turn.texts().locale(), defaultLocale);
  }

  private static List<InventoryItem> inStockFirst(List<InventoryItem> items) {
    return items.stream().sorted(Comparator.comparing(i -> !i.inStock())).toList();
  }

  private static int page(String text) {
    try {
      return Math.max(1, Integer.parseInt(text));
    } catch (NumberFormatException | NullPointerException e) {
      return 1;
    }
  }

  /** A cart from the catalog: the sales team confirms stock, price and delivery, so it goes straight to them. */
  private Future<Void> cartToTeam(Turn turn, InboundMessage.Order order) {
    String lines = order.items().stream().map(i -> i.quantity() + "× " + i.productRetailerId())
        .collect(Collectors.joining(", "));
    turn.escalate(new Escalation("order", lines, new JsonObject().put("order", order.toJson())));
    return Future.succeededFuture();
  }
}
