package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;
import io.wabot.media.MediaKind;
import io.wabot.media.StoredMedia;

/**
 * A file of the bot's media store to send: the outbound job carries only the store's id, and the sender
 * uploads the file to Meta ({@code POST /{phone-number-id}/media}, reused for {@code media.uploadReuse})
 * and sends the message with the id the upload returned, so a flow sends a stored file like any other
 * reply. Meta's limits (the types it sends for the kind, its size, captions and file names) are checked
 * here, when it is built.
 *
 * <p>Its {@link #toJson()} is not a Cloud API body until the sender has replaced {@code stored} with the
 * upload's {@code id}.
 */
public record StoredMediaMessage(String to, MediaKind kind, String storeId, String caption, String filename)
    implements OutboundMessage {

  /** The key of the media object naming the stored file, replaced by {@code id} before sending. */
  public static final String STORED = "stored";

  public StoredMediaMessage {
    if (kind == null || !StoredMedia.isId(storeId)) {
      throw new InvalidMessageException("a stored media message needs a kind and a store id");
    }
    // The same rules as any media message: a caption only where Meta shows one, a file name only on documents.
    MediaMessage.byId(to, kind.wireName(), storeId, caption);
    if (filename != null && kind != MediaKind.DOCUMENT) {
      throw new InvalidMessageException("a file name is only allowed on documents");
    }
  }

  /** A stored file, checked against what Meta sends for {@code kind}. */
  public static StoredMediaMessage of(String to, MediaKind kind, StoredMedia media, String caption) {
    OutboundMedia checked = new OutboundMedia(to, kind, OutboundMedia.stored(media), caption, null);
    return new StoredMediaMessage(to, kind, media.id(), caption, checked.filename());
  }

  @Override
  public String type() {
    return kind.wireName();
  }

  @Override
  public JsonObject content() {
    JsonObject media = new JsonObject().put(STORED, storeId);
    if (caption != null) {
      media.put("caption", caption);
    }
    if (filename != null) {
      media.put("filename", filename);
    }
    return media;
  }
}
