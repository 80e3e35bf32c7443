package io.wabot.whatsapp.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.wabot.sandbox.GraphApiSimulatorAccess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FlowMessageTest {

  static final String TO = "16505551234";

  @Test
  @DisplayName("a data_exchange flow message is the Cloud API's interactive flow body, named by flow name")
  void dataExchange() {
    FlowMessage message = FlowMessage.builder(TO, "Reserve it in a few taps.", "Reserve").header("Nimbus ANC 700")
        .footer("Acme Electronics").flowName("reserve_item").flowToken("wbf1.abc").dataExchange().build();
    assertThat(message.toJson()).isEqualTo(new JsonObject()
        .put("messaging_product", "whatsapp").put("recipient_type", "individual").put("to", TO).put("type", "interactive")
        .put("interactive", new JsonObject().put("type", "flow")
            .put("header", new JsonObject().put("type", "text").put("text", "Nimbus ANC 700"))
            .put("body", new JsonObject().put("text", "Reserve it in a few taps."))
            .put("footer", new JsonObject().put("text", "Acme Electronics"))
            .put("action", new JsonObject().put("name", "flow").put("parameters", new JsonObject()
                .put("flow_message_version", "3").put("flow_token", "wbf1.abc").put("flow_name", "reserve_item")
                .put("flow_cta", "Reserve").put("flow_action", "data_exchange")))));
    assertThat(GraphApiSimulatorAccess.invalidBody(message.toJson())).as("the simulator accepts it like Meta").isNull();
  }

  @Test
  @DisplayName("a navigate flow message names its first screen and data, by flow id, optionally as a draft")
  void navigate() {
    JsonObject parameters = FlowMessage.builder(TO, "Tell us how we did", "Start survey").flowId("1234567890")
        .navigate("RATE", new JsonObject().put("order", "A-17")).draft().build()
        .content().getJsonObject("action").getJsonObject("parameters");
    assertThat(parameters.getString("flow_id")).isEqualTo("1234567890");
    assertThat(parameters.containsKey("flow_name")).isFalse();
    assertThat(parameters.getString("flow_action")).isEqualTo("navigate");
    assertThat(parameters.getJsonObject("flow_action_payload"))
        .isEqualTo(new JsonObject().put("screen", "RATE").put("data", new JsonObject().put("order", "A-17")));
    assertThat(parameters.getString("mode")).isEqualTo("draft");
    assertThat(parameters.containsKey("flow_token")).isFalse();
  }

  @Test
  @DisplayName("Meta's limits: button text up to 20 characters without emoji, body 1024, one flow reference, the action's payload")
  void limits() {
    FlowMessage.Builder ok = FlowMessage.builder(TO, "Body", "x".repeat(20)).flowName("f").dataExchange();
    assertThat(ok.build().cta()).hasSize(20);
    assertInvalid(FlowMessage.builder(TO, "Body", "x".repeat(21)).flowName("f").dataExchange(), "flow button text (flow_cta) is 21 characters");
    assertInvalid(FlowMessage.builder(TO, "Body", "Reserve 🎧").flowName("f").dataExchange(), "contains an emoji");
    assertInvalid(FlowMessage.builder(TO, "Body", "").flowName("f").dataExchange(), "flow button text (flow_cta) must not be empty");
    assertInvalid(FlowMessage.builder(TO, "b".repeat(1025), "Go").flowName("f").dataExchange(), "interactive body is 1025 characters");
    assertInvalid(FlowMessage.builder(TO, "Body", "Go").header("h".repeat(61)).flowName("f").dataExchange(), "header is 61");
    assertInvalid(FlowMessage.builder(TO, "Body", "Go").dataExchange(), "by id or by name");
    assertInvalid(FlowMessage.builder(TO, "Body", "Go").flowId("1").flowName("f").dataExchange(), "by id or by name");
    assertInvalid(FlowMessage.builder(TO, "Body", "Go").flowId("reserve_item").dataExchange(), "numeric id");
    assertInvalid(FlowMessage.builder(TO, "Body", "Go").flowName("f"), "navigate or data_exchange");
    assertInvalid(FlowMessage.builder(TO, "Body", "Go").flowName("f").navigate(null, null), "first screen");
    assertInvalid(FlowMessage.builder(TO, "Body", "Go").flowName("f").navigate("A", new JsonObject()), "at least one field");
    assertInvalid(FlowMessage.builder(TO, "Body", "Go").flowName("f").flowToken("t".repeat(513)).dataExchange(), "flow token is 513");
    assertInvalid(FlowMessage.builder("not-a-number", "Body", "Go").flowName("f").dataExchange(), "is neither a phone number");
  }

  private static void assertInvalid(FlowMessage.Builder builder, String message) {
    assertThatThrownBy(builder::build).isInstanceOf(InvalidMessageException.class).hasMessageContaining(message);
  }
}
