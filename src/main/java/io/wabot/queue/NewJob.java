package io.wabot.queue;

import io.vertx.core.json.JsonObject;
import io.wabot.observability.Correlation;
import java.time.Instant;

/**
 * A job to store.
 *
 * @param id             unique and deterministic: storing the same id twice (a redelivered webhook,
 *                       a flow run again after a crash) stores it once
 * @param conversationId jobs with the same conversation id run one at a time, in the order stored
 * @param payload        the job's data; keep it small, it is read on every claim
 * @param idTime         when the id was made, if the id is tied to a time (a WhatsApp message's own
 *                       timestamp, the same in every redelivery); the queue then remembers the id compactly
 *                       with the other ids of that minute, for the queue's dedup window counted from that
 *                       minute. Null: the id is remembered on its own, for the window counted from when it
 *                       is stored
 */
public record NewJob(String id, String conversationId, JsonObject payload, Instant idTime) {

  public NewJob {
    if (id == null || id.isBlank() || conversationId == null || conversationId.isBlank()) {
      throw new IllegalArgumentException("a job needs an id and a conversation id");
    }
    payload = payload == null ? new JsonObject() : payload;
  }

  /** A job whose id is not tied to a time. */
  public NewJob(String id, String conversationId, JsonObject payload) {
    this(id, conversationId, payload, null);
  }

  /** The same job, its id tied to {@code time} (see {@link #idTime}). */
  public NewJob withIdTime(Instant time) {
    return new NewJob(id, conversationId, payload, time);
  }

  /** A job carrying its correlation in the payload, where consumers look for it. */
  public static NewJob of(String id, String conversationId, Correlation correlation, JsonObject data) {
    return new NewJob(id, conversationId, data.copy().put("correlation", correlation.toJson()));
  }
}
