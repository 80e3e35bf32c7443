package io.wabot.media;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;

/**
 * The staging folder where files are written and checked before they enter a store: a download is
 * only stored once its size and SHA-256 proved right, and a half-written file is never visible.
 */
final class Staging {

  /** A checked file in the staging folder and what it turned out to be. */
  record Staged(Path file, MediaDraft draft) {
  }

  private final Vertx vertx;
  private final Path dir;

  Staging(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir.toAbsolutePath().normalize();
  }

  Path dir() {
    return dir;
  }

  /** A fresh file name in the folder (the folder is created). */
  Future<Path> newFile() {
    Path file = dir.resolve(StoredMedia.newId() + ".part");
    return vertx.fileSystem().mkdirs(dir.toString()).map(file)
        .recover(e -> Future.failedFuture(StoreFailures.of(e, "cannot create " + dir)));
  }

  /** Receives {@code content} as described by {@code draft} (see {@link StagedWrite#write}); deletes it on failure. */
  Future<Staged> receive(ReadStream<Buffer> content, MediaDraft draft) {
    return newFile().compose(file -> vertx.fileSystem()
        .open(file.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
        .recover(e -> Future.failedFuture(StoreFailures.of(e, "cannot write to " + dir)))
        .compose(out -> StagedWrite.write(content, out, draft))
        .map(verified -> new Staged(file, verified))
        .recover(e -> discard(file).transform(deleted -> Future.<Staged>failedFuture(e))));
  }

  /** Moves a staged file into {@code store}; when that fails, deletes it before failing. */
  Future<StoredMedia> into(MediaStore store, Staged staged) {
    return store.putFile(staged.file(), staged.draft())
        .recover(e -> discard(staged.file()).transform(deleted -> Future.<StoredMedia>failedFuture(e)));
  }

  /** Deletes a staged file; completes (never fails) once it is gone. Leftovers are swept after a day anyway. */
  Future<Void> discard(Path file) {
    return vertx.fileSystem().delete(file.toString()).otherwiseEmpty();
  }
}
