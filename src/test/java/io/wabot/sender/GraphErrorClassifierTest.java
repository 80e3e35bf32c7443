package io.wabot.sender;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GraphErrorClassifierTest {

  static GraphError meta(int status, int code) {
    return GraphError.fromResponse(status, new JsonObject().put("error",
        new JsonObject().put("message", "m").put("type", "OAuthException").put("code", code)), null);
  }

  @ParameterizedTest(name = "HTTP {0} code {1} → {2}")
  @CsvSource({
      "429, 130429, PAUSE_ALL",
      "400, 130429, PAUSE_ALL",
      "400, 131056, DELAY_CONVERSATION",
      "500, 131000, RETRY",
      "400, 131000, RETRY",
      "500, 1, RETRY",
      "503, 2, RETRY",
      "400, 131047, TEMPLATE_FALLBACK",
      "404, 132001, LANGUAGE_FALLBACK",
      "401, 190, AUTH_FAILURE",
      "400, 190, AUTH_FAILURE",
      "400, 4, LONG_BACKOFF",
      "400, 80007, LONG_BACKOFF",
      "400, 131048, LONG_BACKOFF",
      "400, 131049, LONG_BACKOFF",
      "400, 131050, OPTED_OUT",
      "400, 131062, NEEDS_PHONE_NUMBER",
      "400, 131026, GIVE_UP",
      "400, 100, GIVE_UP",
      "403, 10, GIVE_UP",
      "502, 99999, RETRY",
      "400, 99999, GIVE_UP",
  })
  void byCode(int status, int code, ErrorAction expected) {
    assertThat(GraphErrorClassifier.classify(meta(status, code))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "HTTP {0} without a Graph body → {1}")
  @CsvSource({"500, RETRY", "502, RETRY", "503, RETRY", "408, RETRY", "429, PAUSE_ALL", "401, AUTH_FAILURE",
      "400, GIVE_UP", "404, GIVE_UP", "413, GIVE_UP"})
  void byStatus(int status, ErrorAction expected) {
    assertThat(GraphErrorClassifier.classify(GraphError.fromResponse(status, null, null))).isEqualTo(expected);
  }

  @Test
  @DisplayName("connection errors and timeouts are retried and count for the breaker; 4xx never do")
  void transport() {
    GraphError refused = GraphError.transport(new ConnectException("Connection refused"));
    GraphError timeout = GraphError.timeout(Duration.ofSeconds(2));

    assertThat(GraphErrorClassifier.classify(refused)).isEqualTo(ErrorAction.RETRY);
    assertThat(GraphErrorClassifier.classify(timeout)).isEqualTo(ErrorAction.RETRY);
    assertThat(refused.isServerSide()).isTrue();
    assertThat(timeout.isServerSide()).isTrue();
    assertThat(timeout.codeTag()).isEqualTo("timeout");
    assertThat(meta(500, 131000).isServerSide()).isTrue();
    assertThat(meta(429, 130429).isServerSide()).isFalse();
    assertThat(meta(401, 190).isServerSide()).isFalse();
    assertThat(meta(400, 131026).isServerSide()).isFalse();
  }

  @Test
  @DisplayName("Meta's error body is parsed: code, subcode, type, message with details, fbtrace_id, Retry-After")
  void parsesMetaBody() {
    JsonObject body = new JsonObject().put("error", new JsonObject()
        .put("message", "(#130429) Rate limit hit").put("type", "OAuthException").put("code", 130429)
        .put("error_subcode", 2494055)
        .put("error_data", new JsonObject().put("messaging_product", "whatsapp")
            .put("details", "Cloud API message throughput has been reached."))
        .put("fbtrace_id", "Az8or2yhqkZfEZ-_4Qn_Bam"));

    GraphError error = GraphError.fromResponse(429, body, "4");

    assertThat(error.httpStatus()).isEqualTo(429);
    assertThat(error.code()).isEqualTo(130429);
    assertThat(error.subcode()).isEqualTo(2494055);
    assertThat(error.type()).isEqualTo("OAuthException");
    assertThat(error.message()).isEqualTo("(#130429) Rate limit hit (Cloud API message throughput has been reached.)");
    assertThat(error.fbtraceId()).isEqualTo("Az8or2yhqkZfEZ-_4Qn_Bam");
    assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(4));
    assertThat(error.describe()).isEqualTo("HTTP 429 code 130429/2494055: (#130429) Rate limit hit"
        + " (Cloud API message throughput has been reached.) (fbtrace_id Az8or2yhqkZfEZ-_4Qn_Bam)");
  }

  @Test
  @DisplayName("a Retry-After that is not a number of seconds counts as absent")
  void retryAfterGarbage() {
    assertThat(io.wabot.common.RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT")).isNull();
    assertThat(io.wabot.common.RetryAfter.parse("-3")).isNull();
    assertThat(io.wabot.common.RetryAfter.parse(" 12 ")).isEqualTo(Duration.ofSeconds(12));
  }
}
