package io.wabot.observability.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EventSizeCapTest {

  private static JsonObject event(String message) {
    return new JsonObject().put("dt", "2025-10-05T10:00:00.000Z").put("level", "INFO").put("logger", "i.w.Test")
        .put("event", "inbound.received").put("correlation_id", "wamid.X").put("message", message);
  }

  @Test
  @DisplayName("an event within the limit passes through byte for byte")
  void smallUntouched() {
    byte[] json = event("hello").toBuffer().getBytes();
    assertThat(EventSizeCap.fit(json, 1024)).isSameAs(json);
  }

  @Test
  @DisplayName("a huge message is truncated to fit, keeping the identifying fields and saying so")
  void hugeMessageTruncated() {
    byte[] json = event("x".repeat(200_000)).toBuffer().getBytes();
    byte[] fitted = EventSizeCap.fit(json, 64 * 1024);

    assertThat(fitted.length).isLessThanOrEqualTo(64 * 1024);
    JsonObject parsed = new JsonObject(Buffer.buffer(fitted));
    assertThat(parsed.getString("event")).isEqualTo("inbound.received");
    assertThat(parsed.getString("correlation_id")).isEqualTo("wamid.X");
    assertThat(parsed.getBoolean("truncated")).isTrue();
    assertThat(parsed.getInteger("original_size")).isEqualTo(json.length);
    assertThat(parsed.getString("message")).startsWith("xxxx").endsWith(EventSizeCap.MARK).hasSizeGreaterThan(30_000);
  }

  @Test
  @DisplayName("text that needs escaping or several bytes per character still ends up within the limit")
  void escapedAndMultibyte() {
    String nasty = "\u0001\"\\\n😀é".repeat(30_000);
    byte[] json = event(nasty).put("stack_trace", "at x\n".repeat(20_000)).toBuffer().getBytes();
    byte[] fitted = EventSizeCap.fit(json, 8 * 1024);

    assertThat(fitted.length).isLessThanOrEqualTo(8 * 1024);
    JsonObject parsed = new JsonObject(Buffer.buffer(fitted));
    assertThat(parsed.getString("level")).isEqualTo("INFO");
    assertThat(parsed.getBoolean("truncated")).isTrue();
  }

  @Test
  @DisplayName("cutting never splits a surrogate pair")
  void keepsSurrogatesWhole() {
    assertThat(EventSizeCap.cut("a😀", 2)).isEqualTo("a");
  }
}
