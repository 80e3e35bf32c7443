package io.wabot.sender;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.config.NumberConfig;
import io.wabot.observability.Correlation;
import io.wabot.queue.Keyspace;
import java.time.Duration;

/**
 * A step between an outbound job's stored body and the request sent: uploading the file a
 * {@code StoredMediaMessage} names and putting the upload's id in its place ({@code io.wabot.media.OutboundUploads}).
 * Bodies it has nothing to do for pass unchanged.
 */
public interface OutboundPreparation {

  /** Nothing to prepare: every body is sent as stored. */
  OutboundPreparation NONE = new OutboundPreparation() {
    @Override
    public Future<JsonObject> prepare(JsonObject body, Correlation correlation) {
      return Future.succeededFuture(body);
    }

    @Override
    public boolean retryable(Throwable failure) {
      return true;
    }
  };

  /** Made by each sender instance, on its own Vert.x context and Redis client. */
  interface Factory {
    OutboundPreparation create(Vertx vertx, Redis redis, Keyspace keyspace);
  }

  Future<JsonObject> prepare(JsonObject body, Correlation correlation);

  /**
   * Prepares a body that goes out from {@code number} (null: the default number): an upload must use the
   * sending number's token and id, since a media id belongs to the number that uploaded it.
   */
  default Future<JsonObject> prepare(JsonObject body, NumberConfig number, Correlation correlation) {
    return prepare(body, correlation);
  }

  /** Whether a failure of {@link #prepare} may pass on a later attempt (else the job is a dead letter). */
  boolean retryable(Throwable failure);

  /**
   * The longest one {@link #prepare} may take (an upload of a large file): the sender's jobs are given that much more
   * than {@code queue.maxRunTime}, so that a job is not started again beside an upload still under way.
   */
  default Duration longestRun() {
    return Duration.ZERO;
  }

  /** The reason recorded for a failure of {@link #prepare}. */
  default String reason(Throwable failure) {
    return String.valueOf(failure.getMessage());
  }

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
