package io.wabot.whatsapp.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every message builder addresses a phone number in {@code to} and a BSUID in {@code recipient}, never a BSUID in {@code to}. */
class RecipientAddressingTest {

  static final String PHONE = "16505551234";
  static final String BSUID = "US.13491208655302741918";
  static final String PARENT = "US.ENT.11815799212886844830";

  static final List<Function<String, OutboundMessage>> BUILDERS = List.of(
      to -> OutboundMessage.text(to, "Hi"),
      to -> new ButtonsMessage(to, null, "Pick", null, List.of(new Button("a", "A"))),
      to -> ListMessage.of(to, "Pick", "Open", List.of(new ListMessage.Row("r", "Row", null))),
      to -> new TemplateMessage(to, "hello_world", "en_US", List.of()),
      to -> new ReactionMessage(to, "wamid.X", "👍"),
      to -> MediaMessage.byId(to, "image", "media-1", null));

  @Test
  @DisplayName("a BSUID goes in recipient with recipient_type individual, and there is no to")
  void bsuid() {
    for (Function<String, OutboundMessage> builder : BUILDERS) {
      for (String id : List.of(BSUID, PARENT)) {
        JsonObject body = builder.apply(id).toJson();
        assertThat(body.getString("recipient")).as(body.encode()).isEqualTo(id);
        assertThat(body.getString("recipient_type")).isEqualTo("individual");
        assertThat(body.containsKey("to")).as("never a BSUID in to: %s", body.encode()).isFalse();
      }
    }
  }

  @Test
  @DisplayName("a phone number goes in to, as before, and there is no recipient")
  void phone() {
    for (Function<String, OutboundMessage> builder : BUILDERS) {
      JsonObject body = builder.apply(PHONE).toJson();
      assertThat(body.getString("to")).isEqualTo(PHONE);
      assertThat(body.containsKey("recipient")).isFalse();
    }
  }

  @Test
  @DisplayName("anything else is refused when the message is built, with a clear error that masks the value")
  void invalid() {
    for (Function<String, OutboundMessage> builder : BUILDERS) {
      for (String bad : List.of("us.1349", "US.", "@sheena", "US 1349", "16505551234x")) {
        assertThatThrownBy(() -> builder.apply(bad)).isInstanceOf(InvalidMessageException.class)
            .hasMessageContaining("neither a phone number").hasMessageContaining("business-scoped user id");
      }
      assertThatThrownBy(() -> builder.apply("")).isInstanceOf(InvalidMessageException.class);
      assertThatThrownBy(() -> builder.apply("US.98765432109876543210!")).hasMessageNotContaining("9876543210987654");
    }
  }
}
