package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;

/** A pin on the map, with an optional place name and address (e.g. the store the customer asked for). */
public record LocationMessage(String to, double latitude, double longitude, String name, String address)
    implements OutboundMessage {

  public LocationMessage {
    Limits.recipient(to);
    coordinates(latitude, longitude, "location");
  }

  public LocationMessage(String to, double latitude, double longitude) {
    this(to, latitude, longitude, null, null);
  }

  /** Latitude in [-90, 90] and longitude in [-180, 180]: anything else is a pin nowhere. */
  static void coordinates(double latitude, double longitude, String what) {
    if (!(latitude >= -90 && latitude <= 90)) {
      throw new InvalidMessageException(what + " latitude " + latitude + " is outside -90..90");
    }
    if (!(longitude >= -180 && longitude <= 180)) {
      throw new InvalidMessageException(what + " longitude " + longitude + " is outside -180..180");
    }
  }

  @Override
  public String type() {
    return "location";
  }

  @Override
  public JsonObject content() {
    return json(latitude, longitude, name, address);
  }

  static JsonObject json(double latitude, double longitude, String name, String address) {
    JsonObject location = new JsonObject().put("latitude", latitude).put("longitude", longitude);
    if (name != null) {
      location.put("name", name);
    }
    if (address != null) {
      location.put("address", address);
    }
    return location;
  }
}
