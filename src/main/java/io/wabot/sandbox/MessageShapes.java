package io.wabot.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The simulator's check of the parts Meta requires in each message type, answered like Meta: error
 * 131008 ("Required parameter is missing") with {@code error_data.details} naming the parameter. It
 * lets a raw message (or a hand-built body) fail in the sandbox the way it would fail in production.
 */
final class MessageShapes {

  /** The interactive types the Cloud API knows; anything else is refused with code 100. */
  static final Set<String> INTERACTIVE_TYPES = Set.of("button", "list", "flow", "cta_url", "location_request_message",
      "carousel", "product", "product_list", "catalog_message", "address_message", "call_permission_request");

  private MessageShapes() {
  }

  /** The missing or malformed parameter, named as Meta names it; null when the shape is complete. */
  static String missing(JsonObject body) {
    String type = body.getString("type", "text");
    Object content = body.getValue(type);
    return switch (type) {
      case "location" -> content instanceof JsonObject l && l.getValue("latitude") instanceof Number
          && l.getValue("longitude") instanceof Number ? null : "location['latitude'] and location['longitude'] are required numbers";
      case "contacts" -> contacts(body.getValue("contacts"));
      case "interactive" -> content instanceof JsonObject i ? interactive(i) : "interactive is required";
      default -> null;
    };
  }

  private static String contacts(Object value) {
    if (!(value instanceof JsonArray cards) || cards.isEmpty()) {
      return "contacts must be a non-empty array";
    }
    for (int i = 0; i < cards.size(); i++) {
      if (!(cards.getValue(i) instanceof JsonObject card && card.getValue("name") instanceof JsonObject name
          && name.getValue("formatted_name") instanceof String formatted && !formatted.isBlank())) {
        return "contacts[" + i + "]['name']['formatted_name'] is required";
      }
    }
    return null;
  }

  private static String interactive(JsonObject i) {
    String type = i.getString("type");
    JsonObject action = i.getValue("action") instanceof JsonObject a ? a : new JsonObject();
    return switch (type) {
      case "cta_url" -> bodyText(i) == null && text(action.getJsonObject("parameters"), "display_text")
          && text(action.getJsonObject("parameters"), "url") ? null
          : first(bodyText(i), "interactive['action']['parameters']['display_text'] and ['url'] are required");
      case "location_request_message" -> first(bodyText(i),
          "send_location".equals(action.getString("name")) ? null : "interactive['action']['name'] must be send_location");
      case "carousel" -> first(bodyText(i), carousel(action.getValue("cards")));
      case "product" -> text(action, "catalog_id") && text(action, "product_retailer_id") ? null
          : "interactive['action']['catalog_id'] and ['product_retailer_id'] are required";
      case "product_list" -> first(i.getValue("header") instanceof JsonObject ? bodyText(i) : "interactive['header'] is required",
          text(action, "catalog_id") && action.getValue("sections") instanceof JsonArray s && !s.isEmpty() ? null
              : "interactive['action']['catalog_id'] and ['sections'] are required");
      // Meta: "The country attribute is a mandatory field in the action parameters."
      case "address_message" -> first(bodyText(i), "address_message".equals(action.getString("name"))
          && text(action.getJsonObject("parameters"), "country") ? null
          : "interactive['action']['name'] must be address_message, with ['parameters']['country']");
      case "catalog_message" -> first(bodyText(i),
          "catalog_message".equals(action.getString("name")) ? null : "interactive['action']['name'] must be catalog_message");
      default -> null;
    };
  }

  private static String carousel(Object value) {
    if (!(value instanceof JsonArray cards) || cards.size() < 2 || cards.size() > 10) {
      return "interactive['action']['cards'] must hold 2 to 10 cards";
    }
    for (int n = 0; n < cards.size(); n++) {
      if (!(cards.getValue(n) instanceof JsonObject card && card.getValue("header") instanceof JsonObject header
          && header.getValue(header.getString("type", "")) instanceof JsonObject)) {
        return "interactive['action']['cards'][" + n + "]['header'] with an image or video is required";
      }
    }
    return null;
  }

  private static String bodyText(JsonObject i) {
    return i.getValue("body") instanceof JsonObject b && text(b, "text") ? null : "interactive['body']['text'] is required";
  }

  private static boolean text(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof String s && !s.isBlank();
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }
}
