package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;
import io.wabot.common.CustomerIds;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Asks the customer for a shipping address ({@code interactive.type = address_message}): WhatsApp opens
 * a form, pre-filled with {@code values}, and the answer arrives as an {@code nfm_reply}. Meta offers it
 * only to businesses in India (country {@code IN}) and Singapore ({@code SG}) and their customers there,
 * so a customer from elsewhere is refused here rather than by Meta later.
 */
public record AddressMessage(String to, String header, String body, String footer, String country,
    Map<String, String> values) implements InteractiveMessage {

  /** Pin/post codes are at most six characters (Meta's field table). */
  public static final int POSTAL_CODE = 6;

  /** The fields of Meta's address form, by country: anything else in {@code values} is refused. */
  private static final Map<String, Set<String>> FIELDS = Map.of(
      "IN", Set.of("name", "phone_number", "in_pin_code", "house_number", "floor_number", "tower_number",
          "building_name", "address", "landmark_area", "city", "state"),
      "SG", Set.of("name", "phone_number", "sg_post_code", "address", "unit_number", "city"));
  /** The calling code a customer's phone number must start with for each country. */
  private static final Map<String, String> CALLING_CODE = Map.of("IN", "91", "SG", "65");

  public AddressMessage {
    Limits.recipient(to);
    Interactive.frame(header, body, true, footer);
    if (country == null || !FIELDS.containsKey(country)) {
      throw new InvalidMessageException("address request country must be IN or SG: WhatsApp offers address messages"
          + " only in India and Singapore");
    }
    boolean samePlace = CustomerIds.isPhone(to) ? to.startsWith(CALLING_CODE.get(country))
        : country.equals(CustomerIds.country(to));
    if (!samePlace) {
      throw new InvalidMessageException("address request for " + country + " can only go to a customer in that country"
          + " (a +" + CALLING_CODE.get(country) + " number); WhatsApp refuses it elsewhere");
    }
    values = values == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(values));
    for (Map.Entry<String, String> value : values.entrySet()) {
      if (!FIELDS.get(country).contains(value.getKey())) {
        throw new InvalidMessageException("address field \"" + value.getKey() + "\" is not in the " + country
            + " form; use " + String.join(", ", FIELDS.get(country).stream().sorted().toList()));
      }
      Limits.required(value.getValue(), "address field " + value.getKey());
    }
    Limits.maxLength(values.get("in_pin_code"), POSTAL_CODE, "address field in_pin_code");
    String postCode = values.get("sg_post_code");
    if (postCode != null && !postCode.matches("\\d{1,6}")) {
      throw new InvalidMessageException("address field sg_post_code must be at most " + POSTAL_CODE + " digits");
    }
    String phone = values.get("phone_number");
    if (phone != null && !phone.replaceAll("[\\s-]", "").matches("\\+?\\d{8,15}")) {
      throw new InvalidMessageException("address field phone_number must be a phone number (digits, optionally with +)");
    }
  }

  /** A request without header, footer or pre-filled values. */
  public AddressMessage(String to, String body, String country) {
    this(to, null, body, null, country, Map.of());
  }

  @Override
  public JsonObject content() {
    JsonObject parameters = new JsonObject().put("country", country);
    if (!values.isEmpty()) {
      JsonObject prefilled = new JsonObject();
      values.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(v -> prefilled.put(v.getKey(), v.getValue()));
      parameters.put("values", prefilled);
    }
    return Interactive.of("address_message", header, body, footer)
        .put("action", new JsonObject().put("name", "address_message").put("parameters", parameters));
  }
}
