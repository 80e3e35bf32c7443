package io.wabot.queue;

import io.vertx.core.json.JsonObject;

/** A job that failed for good, kept with the reason until an operator replays or deletes it. */
public record DeadJob(
    String id, String queue, String conversationId, JsonObject payload, int attempts, String reason, long enqueuedAtMs,
    long deadAtMs) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("queue", queue).put("conversationId", conversationId)
        .put("payload", payload).put("attempts", attempts).put("reason", reason)
        .put("enqueuedAtMs", enqueuedAtMs).put("deadAtMs", deadAtMs);
  }
}
