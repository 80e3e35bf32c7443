package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;
import io.wabot.common.CustomerIds;

/**
 * The part of every request that is not the message: the product and the address. A phone number goes
 * in {@code to}, a business-scoped user id in {@code recipient} (never in {@code to}, where Meta
 * accepts it and never delivers).
 */
final class Envelope {

  /** Keys only the envelope writes; a raw message that sets them is refused. */
  static final java.util.Set<String> KEYS = java.util.Set.of("messaging_product", "recipient_type", "to", "recipient");

  private Envelope() {
  }

  static JsonObject of(String to) {
    return new JsonObject()
        .put("messaging_product", "whatsapp")
        .put("recipient_type", "individual")
        .put(CustomerIds.isAnyBsuid(to) ? "recipient" : "to", to);
  }
}
