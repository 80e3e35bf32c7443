package io.wabot.media;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wabot.observability.Metrics;
import io.wabot.config.AppConfig;
import io.wabot.config.NumberConfig;
import io.wabot.observability.Correlation;
import io.wabot.sender.OutboundPreparation;
import io.wabot.whatsapp.outbound.StoredMediaMessage;
import java.time.Duration;

/**
 * Turns an outbound body that names a stored file ({@link StoredMediaMessage}) into one Meta takes: the
 * file is uploaded (or its earlier upload reused, {@link UploadCache}) and {@code stored} becomes the
 * upload's {@code id}. Every other body passes unchanged. A failure is a {@link MediaException}: the sender
 * retries a retryable one and dead-letters the others.
 */
public final class OutboundUploads implements OutboundPreparation {

  private final MediaStore store;
  private final MediaUploader uploader;

  public OutboundUploads(MediaStore store, MediaUploader uploader) {
    this.store = store;
    this.uploader = uploader;
  }

  @Override
  public Duration longestRun() {
    return uploader.longestRun();
  }

  /** Each sender instance's: the configured store, and uploads whose ids are reused through Redis. */
  public static OutboundPreparation.Factory factory(AppConfig config) {
    return (vertx, redis, keyspace) -> {
      MediaStore store = MediaStores.create(vertx, config.media());
      return new OutboundUploads(store, new MediaUploader(vertx, config.whatsapp(), config.media(), store,
          new UploadCache(redis, keyspace, config.media().uploadReuse()), config.sender().concurrency(),
          Metrics.registry(vertx)));
    };
  }

  @Override
  public Future<JsonObject> prepare(JsonObject body, Correlation correlation) {
    return prepare(body, null, correlation);
  }

  /** Uploads with the sending number's token, to its id: the media id it gets is good for that number only. */
  @Override
  public Future<JsonObject> prepare(JsonObject body, NumberConfig number, Correlation correlation) {
    String type = body.getString("type");
    JsonObject media = type == null || !(body.getValue(type) instanceof JsonObject m) ? null : m;
    if (media == null || media.getString(StoredMediaMessage.STORED) == null) {
      return Future.succeededFuture(body);
    }
    String id = media.getString(StoredMediaMessage.STORED);
    return store.describe(id)
        .compose(found -> found.isPresent() ? uploader.upload(found.get(), number, correlation) : Future.failedFuture(
            MediaFailure.of(MediaFailure.Reason.NOT_FOUND, "the stored file is gone (swept or deleted)").asException()))
        .compose(result -> {
          if (result instanceof MediaUploader.UploadResult.Failed failed) {
            return Future.failedFuture(failed.failure().asException());
          }
          JsonObject uploaded = media.copy();
          uploaded.remove(StoredMediaMessage.STORED);
          uploaded.put("id", ((MediaUploader.UploadResult.Uploaded) result).mediaId());
          return Future.succeededFuture(body.copy().put(type, uploaded));
        });
  }

  @Override
  public boolean retryable(Throwable failure) {
    return MediaFailure.from(failure, MediaFailure.Reason.TRANSPORT).retryable();
  }

  @Override
  public String reason(Throwable failure) {
    MediaFailure why = MediaFailure.from(failure, MediaFailure.Reason.TRANSPORT);
    return "media upload " + why.reason().tag() + ": " + why.detail();
  }

  @Override
  public Future<Void> close() {
    return uploader.close().eventually(store::close);
  }
}
