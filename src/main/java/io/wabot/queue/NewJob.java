package io.wabot.queue;

import io.vertx.core.json.JsonObject;
import io.wabot.observability.Correlation;

/**
 * A job to store.
 *
 * @param id             unique and deterministic: storing the same id twice (a redelivered webhook,
 *                       a flow run again after a crash) stores it once
 * @param conversationId jobs with the same conversation id run one at a time, in the order stored
 * @param payload        the job's data; keep it small, it is read on every claim
 */
public record NewJob(String id, String conversationId, JsonObject payload) {

  public NewJob {
    if (id == null || id.isBlank() || conversationId == null || conversationId.isBlank()) {
      throw new IllegalArgumentException("a job needs an id and a conversation id");
    }
    payload = payload == null ? new JsonObject() : payload;
  }

  /** A job carrying its correlation in the payload, where consumers look for it. */
  public static NewJob of(String id, String conversationId, Correlation correlation, JsonObject data) {
    return new NewJob(id, conversationId, data.copy().put("correlation", correlation.toJson()));
  }
}
