package io.wabot.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.wabot.config.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FlowsSetupTest {

  static final String WITH_ENDPOINT = FlowsRoutesTest.PROBE;
  static final String WITHOUT_ENDPOINT = """
      {"version": "7.3", "screens": [{"id": "ONLY", "terminal": true, "layout": {"type": "SingleColumnLayout",
        "children": [{"type": "Footer", "label": "Send", "on-click-action": {"name": "complete", "payload": {}}}]}}]}
      """;

  static FlowEndpointHandler handler(String flow) {
    return new FlowEndpointHandler() {
      public String flowName() {
        return flow;
      }

      public Future<FlowResponse> onInit(FlowRequest request) {
        return Future.succeededFuture(FlowResponse.screen("START", null));
      }

      public Future<FlowResponse> onDataExchange(FlowRequest request) {
        return onInit(request);
      }
    };
  }

  static FlowDefinitions definitions() {
    return FlowDefinitions.parse(Map.of("conf/flows/probe.json", WITH_ENDPOINT, "conf/flows/survey.json", WITHOUT_ENDPOINT));
  }

  @Test
  @DisplayName("handlers and flow files must match: every endpoint flow one handler, every handler an endpoint flow")
  void mismatches() {
    assertThat(FlowsSetup.matched(definitions(), List.of(handler("probe")), "conf/flows", true).handlers()).containsKey("probe");
    assertThatThrownBy(() -> FlowsSetup.matched(definitions(), List.of(handler("probe"), handler("probe"), handler("missing"),
        handler("survey")), "conf/flows", true))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "Bot.flowEndpoints: " + handler("probe").getClass().getSimpleName() + " serves flow \"probe\", which another handler serves already",
            "Bot.flowEndpoints: " + handler("missing").getClass().getSimpleName() + " serves flow \"missing\" but conf/flows/missing.json"
                + " does not exist; add the Flow JSON or remove the handler",
            "conf/flows/survey.json: has a handler (" + handler("survey").getClass().getSimpleName() + ") but no data_api_version,"
                + " so Meta never calls the endpoint for it; add \"data_api_version\": \"3.0\""));
    assertThatThrownBy(() -> FlowsSetup.matched(definitions(), List.of(), "conf/flows", true))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "conf/flows/probe.json: uses the endpoint (data_api_version) but no handler in Bot.flowEndpoints serves flow \"probe\";"
                + " add a FlowEndpointHandler for it"));
    assertThat(FlowsSetup.matched(definitions(), List.of(), "conf/flows", false).definitions().all())
        .as("with /flows off the files are still checked, handlers are not needed").hasSize(2);
  }
}
