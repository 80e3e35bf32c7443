package io.wabot.media;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.ReadStream;

/**
 * Writes a stream into a staging file through a {@link ContentCheck}, then compares what arrived with
 * what was declared. The file is closed (flushed) in every case; deleting it on failure is the
 * caller's, who knows its path.
 */
final class StagedWrite {

  private StagedWrite() {
  }

  /** Copies {@code source} into {@code file}, checked, and closes the file; a flush error fails too. */
  static Future<Void> copyAndClose(ReadStream<Buffer> source, AsyncFile file, ContentCheck check) {
    return StreamCopy.copy(source, file, check).transform(copied -> file.close().transform(closed -> {
      if (copied.failed()) {
        return Future.failedFuture(copied.cause());
      }
      return closed.failed() ? Future.failedFuture(StoreFailures.of(closed.cause(), "cannot write")) : Future.succeededFuture();
    }));
  }

  /**
   * Writes {@code content} as described by {@code draft} (a negative size: unknown, then the kind's
   * limit applies; a null SHA-256: unknown) and returns the draft with the size and SHA-256 measured.
   */
  static Future<MediaDraft> write(ReadStream<Buffer> content, AsyncFile file, MediaDraft draft) {
    long limit = draft.size() >= 0 ? draft.size() : draft.kind().maxBytes();
    ContentCheck check = new ContentCheck(draft.mimeType(), limit, draft.size());
    return copyAndClose(content, file, check).compose(v -> verified(draft, check));
  }

  /** The draft with the measured size and hash; {@code sha_mismatch} when the draft declared another hash. */
  static Future<MediaDraft> verified(MediaDraft draft, ContentCheck check) {
    String actual = check.sha256Hex();
    if (draft.sha256() != null && !actual.equals(Sha256.normalize(draft.sha256()))) {
      return Future.failedFuture(MediaFailure.of(MediaFailure.Reason.SHA_MISMATCH,
          "the SHA-256 of the " + check.count() + " bytes is not the declared one").asException());
    }
    return Future.succeededFuture(new MediaDraft(draft.kind(), draft.mimeType(), check.count(), actual,
        draft.filename(), draft.sourceId()));
  }
}
