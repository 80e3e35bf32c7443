package io.wabot.media;

import io.wabot.whatsapp.inbound.InboundMessage;

/**
 * A customer's media as a webhook names it: what {@link MediaDownloader#download} fetches.
 *
 * @param mediaId  Meta's media id (valid 7 days after the message)
 * @param kind     image, audio, video, document or sticker
 * @param mimeType the MIME type the webhook declared, or null
 * @param filename the document's file name, or null
 */
public record MediaRef(String mediaId, MediaKind kind, String mimeType, String filename) {

  public MediaRef {
    if (mediaId == null || mediaId.isBlank()) {
      throw new IllegalArgumentException("a media reference needs Meta's media id");
    }
    if (kind == null) {
      throw new IllegalArgumentException("a media reference needs its kind");
    }
  }

  /** The media of an inbound image, audio, video, document or sticker message. */
  public static MediaRef of(InboundMessage.Media message) {
    MediaKind kind = MediaKind.fromWireName(message.kind())
        .orElseThrow(() -> new IllegalArgumentException("not a media kind: " + message.kind()));
    return new MediaRef(message.mediaId(), kind, message.mimeType(), message.filename());
  }
}
