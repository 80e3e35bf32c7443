package io.wabot.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.wabot.config.MediaConfig;
import io.wabot.config.Secret;
import io.wabot.testing.RedisServer;
import io.wabot.testing.S3ProxyServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The S3 store against a real S3-compatible server (S3Proxy), started for this class and stopped after. */
class S3MediaStoreTest extends MediaStoreContract {

  static final String BUCKET = "bot-media";
  static S3ProxyServer server;

  @BeforeAll
  static void startServer() {
    server = S3ProxyServer.start();
    server.createBucket(BUCKET);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  static final java.util.concurrent.atomic.AtomicInteger STORES = new java.util.concurrent.atomic.AtomicInteger();

  /** Each test's store gets its own prefix in the one bucket, so sweeps count only that test's files. */
  static MediaConfig config(Path temp, String endpoint) {
    MediaConfig.S3 s3 = new MediaConfig.S3(BUCKET, "us-east-1", endpoint, true, "media-" + STORES.incrementAndGet() + "/",
        new Secret(S3ProxyServer.ACCESS_KEY), new Secret(S3ProxyServer.SECRET_KEY), 5L * 1024 * 1024, 2);
    return new MediaConfig(MediaConfig.STORE_S3, temp.resolve("staging-root"), Duration.ofDays(30), Duration.ofHours(1),
        MediaConfig.META_MAX_BYTES, 0, Duration.ofSeconds(10), Duration.ofMinutes(1), false, null, Duration.ofHours(24),
        null, Duration.ofDays(29), s3, 4, Duration.ofMinutes(30));
  }

  @Override
  MediaStore createStore(Vertx vertx, Path temp) {
    return MediaStores.create(vertx, config(temp, server.endpoint()));
  }

  @Test
  @DisplayName("objects land under the prefix in the bucket, as the server keeps them")
  void objectsUnderPrefix() {
    Buffer photo = MediaFiles.jpeg(4_000);
    StoredMedia stored = put(photo, draft(MediaKind.IMAGE, "image/jpeg", photo, null));

    assertThat(server.dataDir().resolve(BUCKET).resolve("media-" + STORES.get()).resolve(stored.id()))
        .hasBinaryContent(photo.getBytes());
  }

  @Test
  @DisplayName("a server that cannot be reached is store_unavailable, and nothing hangs")
  void unreachable() {
    MediaStore nowhere = MediaStores.create(vertx, config(temp, "http://127.0.0.1:" + RedisServer.freePort()));
    Buffer photo = MediaFiles.jpeg(4_000);
    try {
      assertThat(failureOf(nowhere.put(stream(photo), draft(MediaKind.IMAGE, "image/jpeg", photo, null))).reason())
          .isEqualTo(MediaFailure.Reason.STORE_UNAVAILABLE);
      assertThat(failureOf(nowhere.open(StoredMedia.newId())).reason()).isEqualTo(MediaFailure.Reason.STORE_UNAVAILABLE);
    } finally {
      io.wabot.testing.Futures.await(nowhere.close());
    }
  }
}
