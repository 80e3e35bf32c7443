package io.wabot.media;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link MediaStore} must do; each implementation's test runs these against the real thing. */
abstract class MediaStoreContract {

  Vertx vertx;
  MediaStore store;
  @TempDir
  Path temp;

  abstract MediaStore createStore(Vertx vertx, Path temp);

  @BeforeEach
  void startStore() {
    vertx = Vertx.vertx();
    store = createStore(vertx, temp);
  }

  @AfterEach
  void stopStore() {
    await(store.close());
    await(vertx.close());
  }

  static MediaDraft draft(MediaKind kind, String mime, Buffer content, String filename) {
    return new MediaDraft(kind, mime, content.length(), MediaFiles.sha256(content), filename, "meta-media-1");
  }

  StoredMedia put(Buffer content, MediaDraft draft) {
    return await(store.put(stream(content), draft));
  }

  ReadStream<Buffer> stream(Buffer content) {
    return MediaFilesStream.of(vertx, temp, content);
  }

  static MediaFailure failureOf(Future<?> future) {
    Throwable thrown = catchThrowable(() -> await(future));
    assertThat(thrown).as("the operation should have failed").isNotNull();
    assertThat(thrown.getCause()).isInstanceOf(MediaException.class);
    return ((MediaException) thrown.getCause()).failure();
  }

  @Test
  @DisplayName("a file put as a stream is described and read back byte for byte, with its name and hash")
  void putAndOpen() {
    Buffer photo = MediaFiles.jpeg(300_000);

    StoredMedia stored = put(photo, draft(MediaKind.DOCUMENT, "image/jpeg", photo, "Factura señor.jpg"));

    assertThat(StoredMedia.isId(stored.id())).isTrue();
    assertThat(stored.size()).isEqualTo(photo.length());
    assertThat(stored.sha256()).isEqualTo(MediaFiles.sha256(photo));
    StoredMedia described = await(store.describe(stored.id())).orElseThrow();
    assertThat(described.kind()).isEqualTo(MediaKind.DOCUMENT);
    assertThat(described.mimeType()).isEqualTo("image/jpeg");
    assertThat(described.size()).isEqualTo(photo.length());
    assertThat(described.sha256()).isEqualTo(stored.sha256());
    assertThat(described.filename()).isEqualTo("Factura señor.jpg");
    assertThat(described.sourceId()).isEqualTo("meta-media-1");
    assertThat(described.storedAt().toEpochMilli()).isEqualTo(stored.storedAt().toEpochMilli());
    MediaContent content = await(store.open(stored.id())).orElseThrow();
    assertThat(await(MediaFiles.readAll(content.stream()))).isEqualTo(photo);
  }

  @Test
  @DisplayName("a large staged file is stored whole and leaves the staging folder")
  void putLargeFile() throws Exception {
    Path file = MediaFiles.write(temp.resolve("big.pdf"), MediaFiles.PDF_HEAD, 11L * 1024 * 1024 + 123, 7);
    String sha = MediaFiles.sha256(file);

    StoredMedia stored = await(store.putFile(file, new MediaDraft(MediaKind.DOCUMENT, "application/pdf",
        Files.size(file), sha, "catalogue.pdf", null)), java.time.Duration.ofSeconds(60));

    assertThat(Files.exists(file)).isFalse();
    MediaContent content = await(store.open(stored.id())).orElseThrow();
    assertThat(await(MediaFiles.sha256Of(content.stream()), java.time.Duration.ofSeconds(60))).isEqualTo(sha);
  }

  @Test
  @DisplayName("bytes that do not match the declared SHA-256 are refused and nothing is stored")
  void shaMismatch() {
    Buffer photo = MediaFiles.jpeg(10_000);
    MediaDraft lying = new MediaDraft(MediaKind.IMAGE, "image/jpeg", photo.length(), "ab".repeat(32), null, null);

    assertThat(failureOf(store.put(stream(photo), lying)).reason()).isEqualTo(MediaFailure.Reason.SHA_MISMATCH);
    assertThat(await(store.sweep(Instant.now().plus(1, ChronoUnit.DAYS)))).isZero();
  }

  @Test
  @DisplayName("a deleted file is gone; unknown and malformed ids find nothing")
  void deleteAndUnknown() {
    Buffer photo = MediaFiles.jpeg(2_000);
    StoredMedia stored = put(photo, draft(MediaKind.IMAGE, "image/jpeg", photo, null));

    assertThat(await(store.delete(stored.id()))).isTrue();
    assertThat(await(store.delete(stored.id()))).isFalse();
    assertThat(await(store.open(stored.id()))).isEmpty();
    assertThat(await(store.describe(StoredMedia.newId()))).isEmpty();
    assertThat(await(store.open("../../etc/passwd"))).isEmpty();
    assertThat(await(store.describe(""))).isEmpty();
  }

  @Test
  @DisplayName("the sweeper deletes what was stored before the cutoff and keeps the rest")
  void sweep() {
    Buffer photo = MediaFiles.jpeg(2_000);
    StoredMedia first = put(photo, draft(MediaKind.IMAGE, "image/jpeg", photo, null));
    StoredMedia second = put(photo, draft(MediaKind.IMAGE, "image/jpeg", photo, null));

    assertThat(await(store.sweep(Instant.now().minus(1, ChronoUnit.HOURS)))).isZero();
    assertThat(await(store.describe(first.id()))).isPresent();

    assertThat(await(store.sweep(Instant.now().plus(1, ChronoUnit.HOURS)))).isEqualTo(2);
    assertThat(await(store.open(first.id()))).isEmpty();
    assertThat(await(store.open(second.id()))).isEmpty();
  }
}
