package io.wabot.media;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FileSystemMediaStoreTest extends MediaStoreContract {

  @Override
  MediaStore createStore(Vertx vertx, Path temp) {
    return new FileSystemMediaStore(vertx, temp.resolve("media"), 0);
  }

  @Test
  @DisplayName("files sit under the configured folder, described beside them; nothing is left in staging")
  void layout() throws Exception {
    Buffer photo = MediaFiles.jpeg(5_000);
    StoredMedia stored = put(photo, draft(MediaKind.IMAGE, "image/jpeg", photo, null));

    Path root = temp.resolve("media");
    assertThat(root.resolve(stored.id().substring(0, 2)).resolve(stored.id())).hasBinaryContent(photo.getBytes());
    assertThat(root.resolve(stored.id().substring(0, 2)).resolve(stored.id() + ".json")).exists();
    try (var staged = Files.list(root.resolve(".staging"))) {
      assertThat(staged).isEmpty();
    }
  }

  @Test
  @DisplayName("the sweeper deletes a file stored longer ago than the retention and keeps a recent one")
  void sweepByAge() throws Exception {
    Buffer photo = MediaFiles.jpeg(5_000);
    StoredMedia old = put(photo, draft(MediaKind.IMAGE, "image/jpeg", photo, null));
    StoredMedia recent = put(photo, draft(MediaKind.IMAGE, "image/jpeg", photo, null));
    Path oldFile = temp.resolve("media").resolve(old.id().substring(0, 2)).resolve(old.id());
    FileTime fortyDaysAgo = FileTime.from(Instant.now().minus(Duration.ofDays(40)));
    Files.setLastModifiedTime(oldFile, fortyDaysAgo);
    Files.setLastModifiedTime(oldFile.resolveSibling(old.id() + ".json"), fortyDaysAgo);

    int swept = await(store.sweep(Instant.now().minus(Duration.ofDays(30))));

    assertThat(swept).isEqualTo(1);
    assertThat(oldFile).doesNotExist();
    assertThat(oldFile.resolveSibling(old.id() + ".json")).doesNotExist();
    assertThat(await(store.describe(recent.id()))).isPresent();
  }

  @Test
  @DisplayName("a file that would leave less than media.minFreeSpace free is refused as store_full, before a byte is written")
  void storeFull() {
    MediaStore tight = new FileSystemMediaStore(vertx, temp.resolve("tight"), Long.MAX_VALUE / 8);
    Buffer photo = MediaFiles.jpeg(5_000);

    assertThat(failureOf(tight.put(stream(photo), draft(MediaKind.IMAGE, "image/jpeg", photo, null))).reason())
        .isEqualTo(MediaFailure.Reason.STORE_FULL);
    assertThat(temp.resolve("tight").resolve(".staging")).doesNotExist();
  }

  @Test
  @DisplayName("a folder that cannot be written is store_unavailable, not a crash")
  void unwritable() throws Exception {
    Path notADirectory = Files.writeString(temp.resolve("a-file"), "x");
    MediaStore broken = new FileSystemMediaStore(vertx, notADirectory.resolve("media"), 0);
    Buffer photo = MediaFiles.jpeg(5_000);

    MediaFailure failure = failureOf(broken.put(stream(photo), draft(MediaKind.IMAGE, "image/jpeg", photo, null)));

    assertThat(failure.reason()).isEqualTo(MediaFailure.Reason.STORE_UNAVAILABLE);
    assertThat(failure.detail()).contains(notADirectory.toString());
  }
}
