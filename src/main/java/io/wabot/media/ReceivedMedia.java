package io.wabot.media;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A photo, voice note, video, document or sticker the customer sent, as the flow sees it in the turn
 * ({@code Turn#media()}): by the time the turn runs, the file is in the store or its download has failed
 * for good, and {@link #stored()} says which.
 *
 * <pre>{@code
 * turn.media().filter(ReceivedMedia::stored).ifPresent(photo -> photo.open().compose(content -> ...));
 * }</pre>
 *
 * @param kind       image, audio, video, document or sticker
 * @param mimeType   its MIME type (the stored file's, else what the webhook declared)
 * @param caption    the customer's caption, or null
 * @param filename   a document's file name, or null
 * @param voice      an audio recorded as a voice note
 * @param file       the stored file, or null when the download failed
 * @param failure    why the download failed, or null when stored
 * @param downloadMs how long the download and store took (0 when unknown)
 */
public record ReceivedMedia(MediaKind kind, String mimeType, String caption, String filename, boolean voice,
    StoredMedia file, MediaFailure failure, long downloadMs, MediaStore store) {

  public ReceivedMedia {
    if ((file == null) == (failure == null)) {
      throw new IllegalArgumentException("received media is either stored or failed");
    }
  }

  /** Whether the file is in the store (else see {@link #failure()}). */
  public boolean stored() {
    return file != null;
  }

  /** Its size in bytes; 0 when it was not stored. */
  public long size() {
    return file == null ? 0 : file.size();
  }

  /**
   * Opens the stored bytes for streaming (read them to the end or close the content). Fails when the file
   * was not stored or has since been swept.
   */
  public Future<MediaContent> open() {
    if (file == null) {
      return Future.failedFuture(failure.asException());
    }
    return store.open(file.id()).compose(content -> content.map(Future::succeededFuture).orElseGet(() ->
        Future.failedFuture(MediaFailure.of(MediaFailure.Reason.NOT_FOUND, "no longer in the store").asException())));
  }

  /** What the team is told about it (without a link; {@code SignedMediaUrls} adds one). */
  public JsonObject describe() {
    JsonObject json = new JsonObject().put("kind", kind.wireName()).put("mimeType", mimeType).put("stored", stored());
    if (file != null) {
      json.put("id", file.id()).put("size", file.size());
    } else {
      json.put("failure", failure.reason().tag());
    }
    if (caption != null) {
      json.put("caption", caption);
    }
    if (filename != null) {
      json.put("filename", filename);
    }
    return voice ? json.put("voice", true) : json;
  }
}
