package io.wabot.media;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Where customers' media is kept: {@link FileSystemMediaStore} (the default) or {@link S3MediaStore},
 * chosen by {@code media.store}. Every method is non-blocking and streams: no implementation holds a
 * whole file in memory.
 *
 * <p>Failures to write are a failed future carrying a {@link MediaException} with reason
 * {@link MediaFailure.Reason#STORE_FULL} or {@link MediaFailure.Reason#STORE_UNAVAILABLE}. To add a
 * store (a database, another cloud), implement this and return it from {@link MediaStores#create}.
 */
public interface MediaStore {

  /** {@code filesystem} or {@code s3}: the tag of this store in events and metrics. */
  String name();

  /**
   * Stores a verified file that sits on local disk ({@code file}, which is moved or uploaded and then
   * gone). This is how downloads enter the store: only after their size and SHA-256 were checked.
   */
  Future<StoredMedia> putFile(Path file, MediaDraft draft);

  /**
   * Stores bytes as they stream in (a file the bot makes or receives from elsewhere); {@code draft}'s
   * size and SHA-256 are checked against what arrived, and a mismatch stores nothing.
   */
  Future<StoredMedia> put(ReadStream<Buffer> content, MediaDraft draft);

  /**
   * Fails ({@link MediaFailure.Reason#STORE_FULL}) when a file of {@code size} bytes would not fit: asked before a
   * download is fetched, so a full store costs no transfer. A store without a local limit always has room.
   */
  default Future<Void> ensureRoom(long size) {
    return Future.succeededFuture();
  }

  /** The description of a stored file; empty when there is none (never stored, deleted, or swept). */
  Future<Optional<StoredMedia>> describe(String id);

  /** Opens a stored file for streaming; empty when there is none. */
  Future<Optional<MediaContent>> open(String id);

  /** Deletes a stored file; true when there was one. */
  Future<Boolean> delete(String id);

  /** Deletes every file stored before {@code cutoff}; the number deleted. */
  Future<Integer> sweep(Instant cutoff);

  Future<Void> close();
}
