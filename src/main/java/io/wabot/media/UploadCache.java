package io.wabot.media;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.wabot.queue.Keyspace;
import java.time.Duration;

/**
 * The media ids Meta returned for uploaded files, in Redis ({@code media-upload:<phone-number-id>:<sha256>:<mime>},
 * expiring after {@code media.uploadReuse}), so every node reuses an upload instead of sending the same
 * file again. Keyed by content, so the same product photo stored twice is uploaded once. A Redis failure
 * is a miss: the file is uploaded again, never not sent.
 */
public final class UploadCache {

  private final Redis redis;
  private final Keyspace keyspace;
  private final Duration reuse;

  public UploadCache(Redis redis, Keyspace keyspace, Duration reuse) {
    this.redis = redis;
    this.keyspace = keyspace;
    this.reuse = reuse;
  }

  Future<String> get(String phoneNumberId, StoredMedia media) {
    return redis.send(Request.cmd(Command.GET).arg(key(phoneNumberId, media)))
        .map(value -> value == null ? null : value.toString())
        .otherwise(e -> null);
  }

  Future<Void> put(String phoneNumberId, StoredMedia media, String mediaId) {
    return redis.send(Request.cmd(Command.SET).arg(key(phoneNumberId, media)).arg(mediaId)
            .arg("PX").arg(reuse.toMillis()))
        .<Void>mapEmpty().otherwiseEmpty();
  }

  private String key(String phoneNumberId, StoredMedia media) {
    return keyspace.key("media-upload:" + phoneNumberId + ":" + media.sha256() + ":" + media.mimeType());
  }
}
