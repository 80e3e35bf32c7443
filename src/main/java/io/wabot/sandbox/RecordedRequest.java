package io.wabot.sandbox;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One request the {@link GraphApiSimulator} received and what it answered.
 *
 * @param sequence     1 for the first request, then 2, 3...
 * @param arrivalNanos {@link System#nanoTime()} at arrival, for measuring rates and gaps
 * @param arrivedAt    wall-clock time at arrival
 * @param path         the request path, e.g. {@code /v23.0/106540352242922/messages}
 * @param authorized   whether the bearer token was right
 * @param body         the JSON body, or null when it was not a JSON object
 * @param recipient    the body's {@code to} or {@code recipient}, or null (read receipts have none)
 * @param status       the HTTP status answered; 0 when the simulator chose not to answer
 * @param wamid        the message id answered on success, or null
 */
public record RecordedRequest(long sequence, long arrivalNanos, Instant arrivedAt, String path, boolean authorized,
    JsonObject body, String recipient, int status, String wamid) {

  public boolean accepted() {
    return status == 200;
  }

  /** Accepted, but never delivered by Meta: a business-scoped user id in {@code to} instead of {@code recipient}. */
  public boolean undeliverable() {
    return GraphApiSimulator.undeliverable(body);
  }

  /** The business number it was sent from: the {@code phone-number-id} of its path, or null for another path. */
  public String number() {
    String[] parts = path == null ? new String[0] : path.split("/");
    return parts.length >= 4 && "messages".equals(parts[parts.length - 1]) ? parts[parts.length - 2] : null;
  }

  /** The body's {@code type} ({@code text}, {@code template}, ...) or {@code read} for a read receipt. */
  public String kind() {
    if (body == null) {
      return "";
    }
    return "read".equals(body.getString("status")) ? "read" : body.getString("type", "text");
  }

  /** For an admin API; the body is left out because it holds customers' messages. */
  public JsonObject toJson() {
    return new JsonObject().put("sequence", sequence).put("arrivedAt", arrivedAt.toString()).put("path", path)
        .put("authorized", authorized).put("number", number()).put("kind", kind()).put("recipient", recipient).put("status", status)
        .put("wamid", wamid).put("undeliverable", undeliverable());
  }
}
