package io.wabot.observability.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class BetterStackAppenderTest {

  private final LogBuffer buffer = new LogBuffer();
  private final Logger log = ShippingFixture.loggerInto(buffer);

  private List<JsonObject> buffered() {
    return buffer.take(1000, Long.MAX_VALUE).stream().map(b -> new JsonObject(Buffer.buffer(b))).toList();
  }

  @Test
  @DisplayName("an event is buffered as the stdout JSON: dt, level, logger, thread, message and the key-values")
  void encodesLikeStdout() {
    Correlation correlation = Correlation.ofInbound("wamid.HBgLMTY1MDU1NTEyMzQ", "16505551234");
    Events.info(log, "inbound.processed", correlation).addKeyValue("duration_ms", 42).log("Inbound message processed");

    JsonObject event = buffered().get(0);
    assertThat(event.getString("dt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(event.getString("level")).isEqualTo("INFO");
    assertThat(event.getString("logger")).as("shortened like stdout's").endsWith(log.getName().substring(log.getName().lastIndexOf('.')));
    assertThat(event.getString("thread")).isNotBlank();
    assertThat(event.getString("message")).isEqualTo("Inbound message processed");
    assertThat(event.getString("event")).isEqualTo("inbound.processed");
    assertThat(event.getString("correlation_id")).isEqualTo("wamid.HBgLMTY1MDU1NTEyMzQ");
    assertThat(event.getString("customer")).isEqualTo("****1234");
    assertThat(event.getString("wamid")).isEqualTo("wamid.HBgLMTY1MDU1NTEyMzQ");
    assertThat(event.getInteger("duration_ms")).isEqualTo(42);
    assertThat(event.encode()).doesNotContain("16505551234");
  }

  @Test
  @DisplayName("events marked LOCAL_ONLY stay out of the buffer")
  void localOnlyNotBuffered() {
    Events.warn(log, "log.shipping_retry").addMarker(LogMarkers.LOCAL_ONLY).log("not for Better Stack");
    Events.info(log, "kept").log("for Better Stack");

    assertThat(buffered()).extracting(e -> e.getString("event")).containsExactly("kept");
  }

  @Test
  @DisplayName("a huge message is capped at the buffer's event size limit")
  void capsHugeEvents() {
    buffer.attach(new LogBuffer.Limits(100, 1024 * 1024, 4096), 100, () -> { });
    log.info("{}", "y".repeat(100_000));

    byte[] stored = buffer.take(1, Long.MAX_VALUE).get(0);
    assertThat(stored.length).isLessThanOrEqualTo(4096);
    assertThat(new JsonObject(Buffer.buffer(stored)).getBoolean("truncated")).isTrue();
  }

  @Test
  @DisplayName("with shipping off nothing is buffered")
  void offMeansNothing() {
    buffer.shippingOff();
    log.info("ignored");
    assertThat(buffer.size()).isZero();
  }
}
