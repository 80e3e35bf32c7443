package io.wabot.example.sales;

import io.wabot.conversation.Choice;
import io.wabot.conversation.Names;
import io.wabot.conversation.Ui;
import io.wabot.conversation.i18n.Texts;
import io.wabot.media.MediaKind;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The sales flow's messages, in the customer's language, within WhatsApp's limits. */
final class SalesScreens {

  static final Set<String> KEYS = Set.of("greeting", "greeting.named", "menu.body", "menu.button.browse",
      "menu.button.search", "menu.button.person", "menu.button.menu", "browse.body", "browse.button", "items.body",
      "items.page", "items.button", "items.all_categories", "list.more", "list.more.description", "results.header",
      "results.body", "search.prompt", "search.again", "item.detail", "item.footer", "item.button.reserve",
      "item.button.back", "item.row", "availability.in_stock", "availability.low_stock", "availability.out_of_stock",
      "alternatives.button", "alternatives.section", "alternatives.more_section", "alternatives.ask",
      "alternatives.ask.description", "fallback.out_of_stock", "fallback.out_of_stock_none", "fallback.no_results",
      "error.catalog", "reserve.flow.body", "reserve.flow.cta", "reserve.summary.pickup", "reserve.summary.delivery",
      "escalation.ack.reservation", "agent.reason.reservation", "media.received.image", "media.received.document");

  /** At or below this many units an item shows "only N left". */
  static final int LOW_STOCK = 5;

  private final Ui ui;
  private final Texts texts;
  private final String defaultLocale;
  private final String firstName;

  SalesScreens(Ui ui, Texts texts, String defaultLocale, String profileName) {
    this.ui = ui;
    this.texts = texts;
    this.defaultLocale = defaultLocale;
    this.firstName = Names.first(profileName);
  }

  OutboundMessage menu(String intro) {
    String body = intro == null ? texts.get("greeting.named", Texts.params("name", firstName))
        : intro + "\n\n" + texts.get("menu.body");
    return ui.buttons(body, List.of(
        Choice.of("sales:browse", texts.get("menu.button.browse")),
        Choice.of("sales:search", texts.get("menu.button.search")),
        Choice.of("core:agent", texts.get("menu.button.person"))));
  }

  OutboundMessage categories(List<Category> categories) {
    List<Choice> rows = new ArrayList<>();
    for (Category c : categories.subList(0, Math.min(categories.size(), Pagination.ROWS))) {
      rows.add(new Choice("sales:cat:" + c.id() + ":1", localized(c.name()), localized(c.description())));
    }
    return ui.list(texts.get("browse.body"), texts.get("browse.button"), rows);
  }

  OutboundMessage items(Category category, Pagination<InventoryItem> shown, int total) {
    String name = localized(category.name());
    String body = texts.get("items.body", Texts.params("category", name, "count", total));
    List<Choice> rows = rows(shown);
    if (shown.hasMore()) {
      rows.add(more("sales:cat:" + category.id() + ":" + (shown.page() + 1), shown, total));
    } else if (rows.size() < Pagination.ROWS) {
      rows.add(Choice.of("sales:browse", texts.get("items.all_categories")));
    }
    return ui.list(name, body + pageNote(shown), null, texts.get("items.button"), List.of(new Ui.Section(null, rows)));
  }

  OutboundMessage results(String query, Pagination<InventoryItem> shown, int total) {
    String body = texts.get("results.body", Texts.params("count", total, "query", query));
    List<Choice> rows = rows(shown);
    if (shown.hasMore()) {
      rows.add(more("sales:results:" + (shown.page() + 1), shown, total));
    }
    return ui.list(texts.get("results.header"), body + pageNote(shown), null, texts.get("items.button"),
        List.of(new Ui.Section(null, rows)));
  }

  OutboundMessage detail(InventoryItem item, boolean canGoBack) {
    return ui.buttons(localized(item.name()), detailText(item), texts.get("item.footer", Texts.params("sku", item.sku())),
        List.of(Choice.of("sales:reserve:" + item.sku(), texts.get("item.button.reserve")),
            backOrMenu(canGoBack),
            Choice.of("sales:ask:" + item.sku(), texts.get("menu.button.person"))));
  }

  OutboundMessage outOfStock(InventoryItem item, List<InventoryItem> alternatives, boolean canGoBack) {
    String name = localized(item.name());
    String footer = texts.get("item.footer", Texts.params("sku", item.sku()));
    if (alternatives.isEmpty()) {
      String body = detailText(item) + "\n\n" + texts.get("fallback.out_of_stock_none", Texts.params("item", name));
      return ui.buttons(name, body, footer, List.of(
          Choice.of("sales:ask:" + item.sku(), texts.get("menu.button.person")),
          Choice.of("sales:browse", texts.get("menu.button.browse")),
          Choice.of("core:menu", texts.get("menu.button.menu"))));
    }
    List<Choice> others = new ArrayList<>();
    alternatives.forEach(a -> others.add(row(a)));
    Choice back = backOrMenu(canGoBack);
    List<Choice> more = List.of(
        new Choice("sales:ask:" + item.sku(), texts.get("alternatives.ask"), texts.get("alternatives.ask.description")),
        new Choice(back.id(), back.title(), null));
    String body = detailText(item) + "\n\n" + texts.get("fallback.out_of_stock", Texts.params("item", name));
    return ui.list(name, body, footer, texts.get("alternatives.button"), List.of(
        new Ui.Section(texts.get("alternatives.section"), others),
        new Ui.Section(texts.get("alternatives.more_section"), more)));
  }

  /** A photo or document is kept for the team: offer a person (who gets it as a link), or go on browsing. */
  OutboundMessage mediaReceived(MediaKind kind) {
    return ui.buttons(texts.get(kind == MediaKind.IMAGE ? "media.received.image" : "media.received.document"), List.of(
        Choice.of("core:agent", texts.get("menu.button.person")),
        Choice.of("sales:browse", texts.get("menu.button.browse"))));
  }

  OutboundMessage noResults(String query) {
    return ui.buttons(texts.get("fallback.no_results", Texts.params("query", query)), List.of(
        Choice.of("sales:browse", texts.get("menu.button.browse")),
        Choice.of("sales:search", texts.get("search.again")),
        Choice.of("core:agent", texts.get("menu.button.person"))));
  }

  private String detailText(InventoryItem item) {
    return texts.get("item.detail", Texts.params("description", localized(item.description()),
        "availability", availability(item), "price", item.priceBand().format()));
  }

  private List<Choice> rows(Pagination<InventoryItem> shown) {
    List<Choice> rows = new ArrayList<>();
    shown.entries().forEach(item -> rows.add(row(item)));
    return rows;
  }

  private Choice row(InventoryItem item) {
    return new Choice("sales:item:" + item.sku(), localized(item.name()),
        texts.get("item.row", Texts.params("price", item.priceBand().format(), "availability", availability(item))));
  }

  private Choice more(String id, Pagination<InventoryItem> shown, int total) {
    int from = shown.firstNumber() + shown.entries().size();
    int remaining = total - from + 1;
    int to = from + (remaining <= Pagination.ROWS ? remaining : Pagination.PER_PAGE_WITH_MORE) - 1;
    return new Choice(id, texts.get("list.more"), texts.get("list.more.description",
        Texts.params("from", from, "to", to, "total", total)));
  }

  private Choice backOrMenu(boolean canGoBack) {
    return canGoBack ? Choice.of("sales:back", texts.get("item.button.back")) : Choice.of("core:menu", texts.get("menu.button.menu"));
  }

  private String pageNote(Pagination<InventoryItem> shown) {
    return shown.pages() > 1 ? "\n" + texts.get("items.page", Texts.params("page", shown.page(), "pages", shown.pages())) : "";
  }

  private String availability(InventoryItem item) {
    if (!item.inStock()) {
      return texts.get("availability.out_of_stock");
    }
    return item.stock() <= LOW_STOCK ? texts.get("availability.low_stock", Texts.params("count", item.stock()))
        : texts.get("availability.in_stock");
  }

  private String localized(LocalizedText text) {
    return text.in(texts.locale(), defaultLocale);
  }
}
