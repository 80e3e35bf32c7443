package io.wabot.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FlowJsonValidatorTest {

  static final String FILE = "conf/flows/reserve_item.json";

  static JsonObject shipped() throws Exception {
    return new JsonObject(Files.readString(Path.of(FILE)));
  }

  /** The problems of the shipped flow after {@code change}. */
  static List<String> problemsAfter(Consumer<JsonObject> change) throws Exception {
    JsonObject flow = shipped();
    change.accept(flow);
    return FlowJsonValidator.validate(FILE, flow);
  }

  static JsonObject screen(JsonObject flow, int i) {
    return flow.getJsonArray("screens").getJsonObject(i);
  }

  static JsonArray children(JsonObject flow, int i) {
    return screen(flow, i).getJsonObject("layout").getJsonArray("children");
  }

  @Test
  @DisplayName("the shipped reserve_item flow is sound, with its routing model read")
  void shippedFlow() throws Exception {
    assertThat(FlowJsonValidator.validate(FILE, shipped())).isEmpty();
    FlowDefinition definition = FlowDefinitions.parse(Map.of(FILE, Files.readString(Path.of(FILE)))).get("reserve_item").orElseThrow();
    assertThat(definition.screens()).containsExactly("QUANTITY", "DELIVERY", "CONTACT");
    assertThat(definition.usesEndpoint()).isTrue();
    assertThat(definition.allowsTransition("QUANTITY", "CONTACT")).isTrue();
    assertThat(definition.allowsTransition("DELIVERY", "QUANTITY")).isFalse();
    assertThat(definition.allowsTransition(null, "QUANTITY")).isTrue();
  }

  @Test
  @DisplayName("versions, screen ids, terminal screens and Footers: one line each, naming the file and the path")
  void screens() throws Exception {
    assertThat(problemsAfter(f -> f.remove("version")))
        .containsExactly(FILE + ": version: is missing; use a Flow JSON version Meta publishes, e.g. \"7.3\"");
    assertThat(problemsAfter(f -> f.put("data_api_version", 3))).singleElement().asString()
        .startsWith(FILE + ": data_api_version: must be a version string");
    assertThat(problemsAfter(f -> screen(f, 1).put("id", "QUANTITY"))).anySatisfy(p -> assertThat(p)
        .isEqualTo(FILE + ": screens[1].id: \"QUANTITY\" is used by another screen; screen ids must be unique"));
    assertThat(problemsAfter(f -> screen(f, 2).put("id", "SUCCESS"))).anySatisfy(p -> assertThat(p)
        .startsWith(FILE + ": screens[2].id: \"SUCCESS\" is reserved"));
    assertThat(problemsAfter(f -> screen(f, 2).remove("terminal")))
        .containsExactly(FILE + ": screens: no screen is \"terminal\": true; the flow's last screen must be");
    assertThat(problemsAfter(f -> children(f, 2).remove(2))).anySatisfy(p -> assertThat(p)
        .isEqualTo(FILE + ": screens[2]: screen CONTACT is terminal but has no Footer; the last screen needs one to finish the flow"));
    assertThat(problemsAfter(f -> screen(f, 0).remove("layout"))).singleElement().asString()
        .startsWith(FILE + ": screens[0].layout: is missing");
  }

  @Test
  @DisplayName("inputs need unique names; references to form fields and screen data must resolve")
  void inputsAndReferences() throws Exception {
    assertThat(problemsAfter(f -> children(f, 0).getJsonObject(3).remove("name"))).contains(
        FILE + ": screens[0].layout.children[3].name: a Dropdown needs a \"name\": the key its value is sent under");
    assertThat(problemsAfter(f -> children(f, 0).getJsonObject(4).put("name", "quantity"))).contains(
        FILE + ": screens[0].layout.children[4].name: \"quantity\" is used by another input of screen QUANTITY; names must be unique");
    assertThat(problemsAfter(f -> children(f, 2).getJsonObject(1).put("name", "full_name"))).containsExactly(
        FILE + ": screens[2].layout.children[2].on-click-action.payload.customer_name: ${form.customer_name} names no input"
            + " of screen CONTACT; its inputs are [full_name]");
    assertThat(problemsAfter(f -> screen(f, 1).getJsonObject("data").remove("slots"))).containsExactly(
        FILE + ": screens[1].layout.children[1].data-source: ${data.slots} is not declared in the \"data\" of screen DELIVERY");
    assertThat(problemsAfter(f -> screen(f, 1).getJsonObject("data").getJsonObject("quantity").remove("__example__")))
        .containsExactly(FILE + ": screens[1].data.quantity: must declare a \"type\" and an \"__example__\"");
    assertThat(problemsAfter(f -> children(f, 1).getJsonObject(1).remove("data-source"))).contains(FILE
        + ": screens[1].layout.children[1].data-source: a RadioButtonsGroup needs its options: an array of {\"id\", \"title\"}"
        + " or a ${data.x} reference");
  }

  @Test
  @DisplayName("the routing model: required with an endpoint, existing screens, one entry, forward only; navigation follows it")
  void routing() throws Exception {
    assertThat(problemsAfter(f -> f.remove("routing_model"))).containsExactly(FILE
        + ": routing_model: is missing; a flow with a data_api_version needs one (screen -> the screens it leads to)");
    assertThat(problemsAfter(f -> f.getJsonObject("routing_model").getJsonArray("DELIVERY").add("PAYMENT"))).containsExactly(
        FILE + ": routing_model.DELIVERY[1]: \"PAYMENT\" is not a screen of this flow; screens are [QUANTITY, DELIVERY, CONTACT]");
    assertThat(problemsAfter(f -> f.getJsonObject("routing_model").getJsonArray("CONTACT").add("DELIVERY"))).containsExactly(
        FILE + ": routing_model: routes go in a circle (DELIVERY -> CONTACT -> DELIVERY); routes may only lead forward");
    assertThat(problemsAfter(f -> f.getJsonObject("routing_model").getJsonArray("CONTACT").add("QUANTITY"))).containsExactly(
        FILE + ": routing_model: has no entry screen: every screen is the target of a route; the first screen must not be");
    assertThat(problemsAfter(f -> f.getJsonObject("routing_model").put("QUANTITY", new JsonArray().add("CONTACT"))))
        .containsExactly(FILE + ": routing_model: has several entry screens [QUANTITY, DELIVERY]; every screen but the"
            + " first must be the target of a route");
    assertThat(problemsAfter(f -> children(f, 1).getJsonObject(3).put("on-click-action", new JsonObject()
        .put("name", "navigate").put("next", new JsonObject().put("type", "screen").put("name", "QUANTITY"))))).containsExactly(
        FILE + ": screens[1].layout.children[3].on-click-action.next.name: navigating from DELIVERY to QUANTITY needs the"
            + " route \"DELIVERY\": [\"QUANTITY\"] in the routing_model");
    assertThat(problemsAfter(f -> children(f, 1).getJsonObject(3).getJsonObject("on-click-action").put("name", "teleport")))
        .containsExactly(FILE + ": screens[1].layout.children[3].on-click-action.name: must be one of "
            + "[navigate, data_exchange, complete, update_data, open_url]");
  }

  @Test
  @DisplayName("an endpoint is only used with a data_api_version; a flow without one needs no routing model")
  void endpointDeclaration() throws Exception {
    List<String> problems = problemsAfter(f -> f.remove("data_api_version"));
    assertThat(problems).contains(FILE + ": routing_model: is only used with a data_api_version (an endpoint); add one or"
        + " remove the routing model");
    assertThat(problems).contains(FILE + ": screens[0].layout.children[5].on-click-action: a data_exchange action calls the"
        + " endpoint; declare \"data_api_version\": \"3.0\" and a routing_model");
  }

  @Test
  @DisplayName("every problem of every file at once; a bad file name or non-JSON file is named")
  void allAtOnce() throws Exception {
    JsonObject broken = shipped();
    broken.remove("version");
    screen(broken, 2).remove("terminal");
    assertThatThrownBy(() -> FlowDefinitions.parse(Map.of(
        "conf/flows/a.json", broken.encode(),
        "conf/flows/Bad-Name.json", "{}",
        "conf/flows/c.json", "{not json")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(4)
            .anySatisfy(p -> assertThat(p).startsWith("conf/flows/a.json: version: is missing"))
            .anySatisfy(p -> assertThat(p).startsWith("conf/flows/a.json: screens: no screen is \"terminal\""))
            .anySatisfy(p -> assertThat(p).startsWith("conf/flows/Bad-Name.json: the file name must be the flow's name"))
            .anySatisfy(p -> assertThat(p).startsWith("conf/flows/c.json: is not a JSON object")));
  }
}
