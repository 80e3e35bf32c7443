package io.wabot.sandbox;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The simulator addresses customers as Meta does: phone numbers in {@code to}, business-scoped user ids in {@code recipient}. */
class SimulatorAddressingTest {

  static final String BSUID = "US.13491208655302741918";

  Vertx vertx = Vertx.vertx();
  GraphApiSimulator simulator = new GraphApiSimulator(vertx, "sim-token", "106540352242922");
  WebClient client = WebClient.create(vertx);
  final List<AcceptedMessage> accepted = new ArrayList<>();

  @BeforeEach
  void start() {
    simulator.onAccepted(accepted::add);
    await(simulator.listen("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    await(simulator.close());
    await(vertx.close());
  }

  HttpResponse<Buffer> post(JsonObject body) {
    return await(client.postAbs(simulator.baseUrl() + "/v23.0/106540352242922/messages")
        .putHeader("Authorization", "Bearer sim-token").sendJsonObject(body));
  }

  @Test
  @DisplayName("a message to a BSUID in recipient is accepted and echoes the user_id; it is deliverable")
  void recipient() {
    HttpResponse<Buffer> response = post(OutboundMessage.text(BSUID, "hi").toJson());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonArray("contacts").getJsonObject(0).getMap())
        .containsEntry("input", BSUID).containsEntry("user_id", BSUID).doesNotContainKey("wa_id");
    RecordedRequest request = simulator.requests().get(0);
    assertThat(request.recipient()).isEqualTo(BSUID);
    assertThat(request.undeliverable()).isFalse();
    assertThat(accepted).singleElement().satisfies(a -> assertThat(a.undeliverable()).isFalse());
  }

  @Test
  @DisplayName("a BSUID in to is accepted with a wamid, as Meta does, and flagged as never delivered")
  void bsuidInTo() {
    JsonObject body = new JsonObject().put("messaging_product", "whatsapp").put("recipient_type", "individual")
        .put("to", BSUID).put("type", "text").put("text", new JsonObject().put("body", "hi"));
    HttpResponse<Buffer> response = post(body);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonArray("messages").getJsonObject(0).getString("id")).startsWith("wamid.");
    assertThat(simulator.requests().get(0).undeliverable()).isTrue();
    assertThat(simulator.requests().get(0).toJson().getBoolean("undeliverable")).isTrue();
    assertThat(accepted).singleElement().satisfies(a -> assertThat(a.undeliverable()).isTrue());
  }

  @Test
  @DisplayName("recipient_type business_scoped_user_id, a phone number in recipient, or no address at all get Meta's 400, code 100")
  void refused() {
    JsonObject text = new JsonObject().put("messaging_product", "whatsapp").put("type", "text")
        .put("text", new JsonObject().put("body", "hi"));
    List<JsonObject> bodies = List.of(
        text.copy().put("recipient_type", "business_scoped_user_id").put("recipient", BSUID),
        text.copy().put("recipient_type", "individual").put("recipient", "16505551234"),
        text.copy().put("recipient_type", "individual"),
        text.copy().put("to", "@sheena"));
    for (JsonObject body : bodies) {
      HttpResponse<Buffer> response = post(body);
      assertThat(response.statusCode()).as(body.encode()).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(100);
    }
    assertThat(accepted).isEmpty();
  }

  @Test
  @DisplayName("a fault for one customer applies to their BSUID address too; 131062 is Meta's answer for what needs a phone number")
  void faultByBsuid() {
    simulator.inject(SimulatedFault.bsuidNotSupported().forRecipient(BSUID));
    HttpResponse<Buffer> refused = post(OutboundMessage.text(BSUID, "code 123456").toJson());
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(131062);
    assertThat(post(OutboundMessage.text("16505551234", "hi").toJson()).statusCode()).isEqualTo(200);
    assertThat(SimulatedFault.fromJson(new JsonObject().put("fault", "bsuid_not_supported")).toJson().getInteger("code"))
        .isEqualTo(131062);
  }
}
