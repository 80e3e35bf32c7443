package io.wabot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.observability.alerts.AlertService;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.whatsapp.inbound.AccountEvent;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code POST /sandbox/api/simulate}: Meta's account webhooks on demand, each raising and resolving its alert. */
class SandboxSimulateTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  private static boolean alertEvent(ch.qos.logback.classic.spi.ILoggingEvent e, String event, String alert) {
    return event.equals(LogCapture.value(e, "event")) && alert.equals(LogCapture.value(e, "alert"));
  }

  @ParameterizedTest(name = "{0} then {1}: {2}")
  @CsvSource({
      "pause_template, approve_template, " + AccountEvent.TEMPLATE_UNUSABLE,
      "template_quality_red, template_quality_green, " + AccountEvent.TEMPLATE_QUALITY_LOW,
      "phone_red, phone_green, " + AccountEvent.PHONE_QUALITY_LOW,
      "account_banned, account_reinstated, " + AccountEvent.ACCOUNT_RESTRICTED})
  @DisplayName("each simulated event is a webhook the bot accepts, raising its alert; its counterpart resolves it")
  void raisesAndResolves(String raise, String clear, String alert) throws Exception {
    try (SandboxApp sandbox = new SandboxApp(REDIS.url(), Map.of("WINDOW_TEMPLATE_NAME", "back_in_touch"),
        new JsonObject().put("alerts", new JsonObject().put("checkInterval", "100ms")));
        LogCapture alerts = LogCapture.of(AlertService.class)) {
      assertThat(sandbox.json("POST", "/sandbox/api/simulate", new JsonObject().put("event", raise)).getInteger("webhookStatus"))
          .isEqualTo(200);
      alerts.awaitMatching(e -> alertEvent(e, "alert.fired", alert));
      assertThat(sandbox.json("POST", "/sandbox/api/simulate", new JsonObject().put("event", clear)).getInteger("webhookStatus"))
          .isEqualTo(200);
      alerts.awaitMatching(e -> alertEvent(e, "alert.resolved", alert));
      assertThat(sandbox.json("GET", "/sandbox/api/state", null).getJsonArray("alerts").encode())
          .as("the page's alert list").contains(alert, "alert.fired", "alert.resolved");
    }
  }

  @Test
  @DisplayName("an unknown event, or a template event without a window template, is a clear 400")
  void badRequests() throws Exception {
    try (SandboxApp sandbox = new SandboxApp(REDIS.url())) {
      HttpResponse<String> unknown = sandbox.call("POST", "/sandbox/api/simulate", new JsonObject().put("event", "meteor"));
      assertThat(unknown.statusCode()).isEqualTo(400);
      assertThat(unknown.body()).contains("pause_template");
      HttpResponse<String> noTemplate = sandbox.call("POST", "/sandbox/api/simulate",
          new JsonObject().put("event", "pause_template"));
      assertThat(noTemplate.statusCode()).isEqualTo(400);
      assertThat(noTemplate.body()).contains("WINDOW_TEMPLATE_NAME");
      HttpResponse<String> nobody = sandbox.call("POST", "/sandbox/api/simulate",
          new JsonObject().put("event", "staff_reply").put("customer", "5215500000000"));
      assertThat(nobody.statusCode()).isEqualTo(400);
    }
  }
}
