package io.wabot.media;

import io.vertx.core.Vertx;
import io.wabot.config.MediaConfig;

/** Builds the {@link MediaStore} that {@code media.store} names. */
public final class MediaStores {

  private MediaStores() {
  }

  public static MediaStore create(Vertx vertx, MediaConfig config) {
    return config.usesS3() ? new S3MediaStore(vertx, config)
        : new FileSystemMediaStore(vertx, config.dir(), config.minFreeSpace());
  }
}
