package io.wabot.whatsapp.outbound;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The escape hatch for a message type this project has no builder for (yet): the message part of the
 * request as Meta documents it, passed through untouched. Only the envelope is ours: the bot sets
 * {@code messaging_product}, {@code recipient_type} and {@code to}/{@code recipient}, and checks that
 * {@code type} names a member that is present. Meta checks the rest when it is sent.
 *
 * <pre>{@code
 * RawMessage.of(to, new JsonObject("""
 *     {"type": "interactive", "interactive": {"type": "address_message", "body": {"text": "Where to?"},
 *      "action": {"name": "address_message", "parameters": {"country": "IN"}}}}"""));
 * }</pre>
 */
public record RawMessage(String to, JsonObject message) implements OutboundMessage {

  public RawMessage {
    Limits.recipient(to);
    if (message == null) {
      throw new InvalidMessageException("a raw message needs a JSON object with type and its member");
    }
    message = message.copy();
    for (String key : Envelope.KEYS) {
      if (message.containsKey(key)) {
        throw new InvalidMessageException("a raw message must not set \"" + key + "\": the bot writes the envelope"
            + " from the customer's address");
      }
    }
    if (!(message.getValue("type") instanceof String type) || type.isBlank()) {
      throw new InvalidMessageException("a raw message needs \"type\" (a string such as \"interactive\")");
    }
    if (message.getValue(type) == null) {
      throw new InvalidMessageException("a raw message of type \"" + type + "\" needs the member \"" + type + "\"");
    }
  }

  /**
   * {@code body}: a {@link JsonObject}, a {@link Map}, or a JSON text of an object. Anything else (an
   * array, a string that is not JSON, a number) is refused here rather than sent for Meta to refuse.
   */
  public static RawMessage of(String to, Object body) {
    if (body instanceof JsonObject json) {
      return new RawMessage(to, json);
    }
    if (body instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) map;
      return new RawMessage(to, new JsonObject(fields));
    }
    if (body instanceof String text) {
      try {
        return new RawMessage(to, new JsonObject(text));
      } catch (DecodeException | ClassCastException e) {
        throw new InvalidMessageException("a raw message body must be a JSON object; the text given is not one");
      }
    }
    throw new InvalidMessageException("a raw message body must be a JSON object, not "
        + (body == null ? "null" : body.getClass().getSimpleName()));
  }

  @Override
  public String type() {
    return message.getString("type");
  }

  /** The type's member when it is an object (e.g. {@code interactive}); empty when it is not (e.g. contacts). */
  @Override
  public JsonObject content() {
    return message.getValue(type()) instanceof JsonObject json ? json.copy() : new JsonObject();
  }

  @Override
  public JsonObject toJson() {
    return Envelope.of(to).mergeIn(message.copy());
  }
}
