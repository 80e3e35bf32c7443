package io.wabot.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptTest {

  private static final JsonObject LIST = new JsonObject("""
      {"type": "interactive", "interactive": {"type": "list", "action": {"button": "Items", "sections": [
        {"title": "Audio", "rows": [{"id": "sales:item:AUD-001", "title": "Nimbus ANC 700"},
                                    {"id": "sales:item:AUD-002", "title": "Nimbus Buds Pro"}]}]}}}""");
  private static final JsonObject BUTTONS = new JsonObject("""
      {"type": "interactive", "interactive": {"type": "button", "action": {"buttons": [
        {"type": "reply", "reply": {"id": "sales:browse", "title": "Browse products"}}]}}}""");

  @Test
  void tapsFindOptionsByIdPrefix() {
    Script.Step anyItem = new Script.Step("item", Script.Step.Kind.TAP, "sales:item:");
    assertThat(anyItem.option(LIST)).hasValueSatisfying(o -> assertThat(o).containsExactly("sales:item:AUD-001", "Nimbus ANC 700", "list"));
    Script.Step second = new Script.Step("oos", Script.Step.Kind.TAP, "sales:item:AUD-002");
    assertThat(second.option(LIST)).hasValueSatisfying(o -> assertThat(o[1]).isEqualTo("Nimbus Buds Pro"));
    Script.Step browse = new Script.Step("browse", Script.Step.Kind.TAP, "sales:browse");
    assertThat(browse.option(BUTTONS)).hasValueSatisfying(o -> assertThat(o[2]).isEqualTo("button"));
    assertThat(browse.option(LIST)).isEmpty();
    assertThat(browse.option(new JsonObject().put("type", "text"))).isEmpty();
  }

  @Test
  void parsesAFileAndRefusesMistakes() {
    Script s = Script.parse(List.of("# a shorter conversation", "", "greeting say hola", "browse tap sales:browse"));
    assertThat(s.steps()).extracting(Script.Step::name).containsExactly("greeting", "browse");
    assertThat(s.steps().get(0).value()).isEqualTo("hola");
    assertThatThrownBy(() -> Script.parse(List.of("greeting shout hi"))).hasMessageContaining("line 1");
    assertThatThrownBy(() -> Script.parse(List.of("first tap sales:browse"))).hasMessageContaining("starts with something said");
    assertThat(Script.sales().steps()).hasSize(8);
  }
}
