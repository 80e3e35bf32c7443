package io.wabot.whatsapp.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.wabot.sandbox.GraphApiSimulatorAccess;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The address request against Meta's address-messages reference
 * (developers.facebook.com/docs/whatsapp/cloud-api/messages/address-messages): India and Singapore only.
 */
class AddressMessageTest {

  static final String INDIA = "919876543210";

  @Test
  @DisplayName("address_message: body, the address_message action with the country and pre-filled values, as Meta documents")
  void shape() {
    JsonObject json = new AddressMessage(INDIA, null, "Thanks for your order! Tell us what address you'd like this order delivered to.",
        null, "IN", Map.of("name", "Asha Rao", "phone_number", "+919876543210")).toJson();

    assertThat(json).isEqualTo(new JsonObject("""
        {"messaging_product":"whatsapp","recipient_type":"individual","to":"919876543210","type":"interactive",
         "interactive":{"type":"address_message",
          "body":{"text":"Thanks for your order! Tell us what address you'd like this order delivered to."},
          "action":{"name":"address_message","parameters":{"country":"IN",
            "values":{"name":"Asha Rao","phone_number":"+919876543210"}}}}}"""));
    assertThat(GraphApiSimulatorAccess.invalidBody(json)).as("the simulator accepts it as Meta would").isNull();
  }

  @Test
  @DisplayName("Singapore: the SG form with its post code; no values means no values object")
  void singapore() {
    JsonObject plain = new AddressMessage("6591234567", "Where should we deliver?", "SG").toJson();
    assertThat(plain.getJsonObject("interactive").getJsonObject("action").getJsonObject("parameters"))
        .isEqualTo(new JsonObject().put("country", "SG"));
    assertThat(new AddressMessage("6591234567", null, "Where?", "Reply STOP to opt out", "SG",
        Map.of("sg_post_code", "018956")).toJson().getJsonObject("interactive").getJsonObject("footer").getString("text"))
        .isEqualTo("Reply STOP to opt out");
    assertThat(new AddressMessage("SG.13491208655302741918", "Where?", "SG").to()).startsWith("SG.");
  }

  @Test
  @DisplayName("another country, a customer outside it, a field of the other form or a long pin code is refused by name")
  void limits() {
    assertThatThrownBy(() -> new AddressMessage("16505551234", "Where?", "US"))
        .isInstanceOf(InvalidMessageException.class).hasMessageContaining("country must be IN or SG");
    assertThatThrownBy(() -> new AddressMessage("16505551234", "Where?", "IN")).hasMessageContaining("+91");
    assertThatThrownBy(() -> new AddressMessage("US.13491208655302741918", "Where?", "SG")).hasMessageContaining("+65");
    assertThatThrownBy(() -> new AddressMessage(INDIA, null, "Where?", null, "IN", Map.of("sg_post_code", "018956")))
        .hasMessageContaining("\"sg_post_code\" is not in the IN form");
    assertThatThrownBy(() -> new AddressMessage(INDIA, null, "Where?", null, "IN", Map.of("in_pin_code", "5600017")))
        .hasMessageContaining("in_pin_code").hasMessageContaining("at most 6");
    assertThatThrownBy(() -> new AddressMessage("6591234567", null, "Where?", null, "SG", Map.of("sg_post_code", "01B956")))
        .hasMessageContaining("sg_post_code must be at most 6 digits");
    assertThatThrownBy(() -> new AddressMessage(INDIA, null, "Where?", null, "IN", Map.of("phone_number", "call me")))
        .hasMessageContaining("phone_number must be a phone number");
    assertThatThrownBy(() -> new AddressMessage(INDIA, " ", "IN")).hasMessageContaining("interactive body");
  }

  @Test
  @DisplayName("it can quote the customer's message like every other type")
  void replyContext() {
    JsonObject quoted = new AddressMessage(INDIA, "Where?", "IN").inReplyTo("wamid.IN").toJson();
    assertThat(quoted.getJsonObject("context").getString("message_id")).isEqualTo("wamid.IN");
  }
}
