package io.wabot.sandbox;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.event.KeyValuePair;

/**
 * In sandbox mode, copies the bot's own structured log events that belong to a message (those with a
 * {@code correlation_id}) onto the event bus, so the chat page can show each message's way through
 * the machinery. It shows exactly what an operator would see in the logs, nothing staged. It keeps
 * no state, so it needs no lock: logging threads never wait for one another here.
 */
final class EventTap extends UnsynchronizedAppenderBase<ILoggingEvent> {

  static final String ADDRESS = "wabot.sandbox.logevent";

  private final EventBus bus;

  EventTap(EventBus bus) {
    this.bus = bus;
    setName("sandbox-event-tap");
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getKeyValuePairs() == null || !event.getLevel().isGreaterOrEqual(Level.INFO)) {
      return;
    }
    JsonObject fields = new JsonObject();
    for (KeyValuePair pair : event.getKeyValuePairs()) {
      Object value = pair.value;
      fields.put(pair.key, value instanceof Number || value instanceof Boolean ? value : String.valueOf(value));
    }
    String correlationId = fields.getString("correlation_id");
    String name = fields.getString("event");
    boolean alert = name != null && name.startsWith("alert."); // about the bot, not a customer: the page lists them apart
    if (!alert && (correlationId == null || correlationId.isEmpty() || name == null)) {
      return;
    }
    fields.remove("correlation_id");
    fields.remove("event");
    fields.remove("customer");
    bus.publish(ADDRESS, new JsonObject().put("correlationId", correlationId == null ? "" : correlationId).put("name", name)
        .put("level", event.getLevel().toString().toLowerCase(java.util.Locale.ROOT))
        .put("text", event.getFormattedMessage()).put("at", event.getTimeStamp()).put("fields", fields));
  }
}
