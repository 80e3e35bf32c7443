package io.wabot.media;

/**
 * How a download ended: the file is in the store, or it failed for a fixed reason. A flow learns which;
 * the queue retries a {@link Failed} whose failure is {@linkplain MediaFailure#retryable() retryable}.
 */
public sealed interface DownloadResult {

  record Stored(StoredMedia media) implements DownloadResult {
  }

  record Failed(MediaFailure failure) implements DownloadResult {
  }
}
