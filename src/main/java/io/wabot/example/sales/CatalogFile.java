package io.wabot.example.sales;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.config.ConfigException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and checks {@code conf/catalog.json}. Every problem becomes one line naming the item and the
 * field, what is wrong and an example, reported at start-up with the configuration problems.
 *
 * <pre>{@code
 * {"categories": [{"id": "audio", "name": {"en": "Audio", "es": "Audio"}, "description": {...}}],
 *  "items": [{"sku": "AUD-001", "name": {"en": "...", "es": "..."}, "description": {...}, "category": "audio",
 *             "stock": 12, "priceBand": {"min": 329, "max": 399, "currency": "USD"},
 *             "escalation": "what the sales person should do", "keywords": ["headphones", "audífonos"],
 *             "image": "https://shop.example.com/img/aud-001.jpg"}]}
 * }</pre>
 */
public final class CatalogFile {

  private static final Pattern SKU = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,39}");
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  /** The parsed catalog. */
  public record Contents(List<Category> categories, List<InventoryItem> items) {
  }

  private final String path;
  private final List<String> problems = new ArrayList<>();

  private CatalogFile(String path) {
    this.path = path;
  }

  public static Contents parse(String path, String content) {
    CatalogFile file = new CatalogFile(path);
    Contents contents = file.read(content);
    if (!file.problems.isEmpty()) {
      throw new ConfigException(file.problems);
    }
    return contents;
  }

  private Contents read(String content) {
    JsonObject json;
    try {
      json = new JsonObject(content);
    } catch (DecodeException e) {
      problems.add(path + ": is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + "). Fix the file");
      return null;
    }
    Map<String, Category> categories = new LinkedHashMap<>();
    JsonArray rawCategories = json.getValue("categories") instanceof JsonArray a ? a : null;
    if (rawCategories == null || rawCategories.isEmpty()) {
      problems.add(path + ": \"categories\" must be a non-empty list. Example: \"categories\": [{\"id\": \"audio\", \"name\": {\"en\": \"Audio\"}}]");
      rawCategories = new JsonArray();
    }
    for (int i = 0; i < rawCategories.size(); i++) {
      Category category = category(i, rawCategories.getValue(i));
      if (category != null && categories.putIfAbsent(category.id(), category) != null) {
        problems.add(path + ": category \"" + category.id() + "\" is listed twice; category ids must be unique");
      }
    }
    if (categories.size() > Pagination.ROWS) {
      problems.add(path + ": has " + categories.size() + " categories; a WhatsApp list shows at most " + Pagination.ROWS
          + ", so merge some");
    }
    List<InventoryItem> items = new ArrayList<>();
    Set<String> skus = new HashSet<>();
    JsonArray rawItems = json.getValue("items") instanceof JsonArray a ? a : null;
    if (rawItems == null || rawItems.isEmpty()) {
      problems.add(path + ": \"items\" must be a non-empty list of products");
      rawItems = new JsonArray();
    }
    for (int i = 0; i < rawItems.size(); i++) {
      InventoryItem item = item(i, rawItems.getValue(i), categories);
      if (item != null) {
        if (!skus.add(item.sku().toUpperCase(Locale.ROOT))) {
          problems.add(path + ": SKU \"" + item.sku() + "\" is used by two items; SKUs must be unique (case does not matter)");
        }
        items.add(item);
      }
    }
    return new Contents(List.copyOf(categories.values()), List.copyOf(items));
  }

  private Category category(int index, Object raw) {
    String where = path + ": category #" + (index + 1);
    if (!(raw instanceof JsonObject json)) {
      problems.add(where + " must be an object with \"id\" and \"name\"");
      return null;
    }
    String id = json.getValue("id") instanceof String s ? s : null;
    if (id == null || !ID.matcher(id).matches()) {
      problems.add(where + ": \"id\" must be lower-case letters, digits, - or _ (at most 40). Example: \"id\": \"audio\"");
      return null;
    }
    where = path + ": category \"" + id + "\"";
    LocalizedText name = localized(where, json, "name", true);
    LocalizedText description = localized(where, json, "description", false);
    return name == null ? null : new Category(id, name, description == null ? new LocalizedText(Map.of()) : description);
  }

  private InventoryItem item(int index, Object raw, Map<String, Category> categories) {
    String where = path + ": item #" + (index + 1);
    if (!(raw instanceof JsonObject json)) {
      problems.add(where + " must be an object with \"sku\", \"name\", \"category\", \"stock\" and \"priceBand\"");
      return null;
    }
    String sku = json.getValue("sku") instanceof String s ? s.trim() : null;
    if (sku == null || !SKU.matcher(sku).matches()) {
      problems.add(where + ": \"sku\" must be letters, digits, - or _ (at most 40). Example: \"sku\": \"AUD-001\"");
      return null;
    }
    where = path + ": item " + sku;
    int before = problems.size();
    LocalizedText name = localized(where, json, "name", true);
    LocalizedText description = localized(where, json, "description", false);
    String category = json.getValue("category") instanceof String s ? s : null;
    if (category == null || !categories.containsKey(category)) {
      problems.add(where + ": \"category\" must be one of the ids in \"categories\" " + categories.keySet() + ", got "
          + (category == null ? "nothing" : "\"" + category + "\""));
    }
    Object stock = json.getValue("stock");
    if (!(stock instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() != Math.rint(n.doubleValue())) {
      problems.add(where + ": \"stock\" must be a whole number, 0 or more (0 = out of stock). Example: \"stock\": 12");
    }
    PriceBand price = priceBand(where, json.getValue("priceBand"));
    String escalation = json.getValue("escalation") instanceof String s && !s.isBlank() ? s.strip() : null;
    if (json.getValue("escalation") != null && escalation == null) {
      problems.add(where + ": \"escalation\" must be a text for the sales team. Example: \"escalation\": \"Confirm the colour with the warehouse\"");
    }
    List<String> keywords = new ArrayList<>();
    Object rawKeywords = json.getValue("keywords");
    if (rawKeywords instanceof JsonArray array) {
      array.forEach(k -> {
        if (k instanceof String s && !s.isBlank()) {
          keywords.add(s);
        }
      });
    } else if (rawKeywords != null) {
      problems.add(where + ": \"keywords\" must be a list of words. Example: \"keywords\": [\"headphones\", \"audífonos\"]");
    }
    Object image = json.getValue("image");
    if (image != null && !(image instanceof String url && url.startsWith("https://") && url.length() <= 2000
        && !url.contains(" "))) {
      problems.add(where + ": \"image\" must be a public https URL of the item's photo (WhatsApp fetches it)."
          + " Example: \"image\": \"https://shop.example.com/img/aud-001.jpg\"");
    }
    if (problems.size() > before) {
      return null;
    }
    return new InventoryItem(sku, name, description == null ? new LocalizedText(Map.of()) : description, category,
        ((Number) stock).intValue(), price, escalation == null ? "" : escalation, keywords, (String) image);
  }

  private LocalizedText localized(String where, JsonObject json, String field, boolean required) {
    Object raw = json.getValue(field);
    if (raw == null && !required) {
      return null;
    }
    if (raw instanceof String s && !s.isBlank()) {
      return LocalizedText.of(s.strip());
    }
    if (raw instanceof JsonObject byLocale && !byLocale.isEmpty()) {
      Map<String, String> texts = new LinkedHashMap<>();
      for (String locale : byLocale.fieldNames()) {
        if (byLocale.getValue(locale) instanceof String s && !s.isBlank()) {
          texts.put(locale, s.strip());
        }
      }
      if (texts.size() == byLocale.size()) {
        return new LocalizedText(texts);
      }
    }
    problems.add(where + ": \"" + field + "\" must be a text or texts by locale. Example: \"" + field
        + "\": {\"en\": \"Wireless headphones\", \"es\": \"Audífonos inalámbricos\"}");
    return null;
  }

  private PriceBand priceBand(String where, Object raw) {
    String example = ". Example: \"priceBand\": {\"min\": 329, \"max\": 399, \"currency\": \"USD\"}";
    if (!(raw instanceof JsonObject json)) {
      problems.add(where + ": \"priceBand\" is missing" + example);
      return null;
    }
    BigDecimal min = json.getValue("min") instanceof Number n ? new BigDecimal(n.toString()) : null;
    BigDecimal max = json.getValue("max") instanceof Number n ? new BigDecimal(n.toString()) : null;
    String currency = json.getValue("currency") instanceof String s ? s : null;
    if (min == null || max == null || min.signum() < 0 || min.compareTo(max) > 0) {
      problems.add(where + ": \"priceBand\" needs numbers \"min\" ≤ \"max\", 0 or more" + example);
      return null;
    }
    if (currency == null || !CURRENCY.matcher(currency).matches()) {
      problems.add(where + ": \"priceBand\".\"currency\" must be an ISO 4217 code such as USD or MXN" + example);
      return null;
    }
    return new PriceBand(min, max, currency);
  }
}
