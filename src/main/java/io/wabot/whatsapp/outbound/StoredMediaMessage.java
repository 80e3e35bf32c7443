package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * A file of the bot's media store to send: the outbound job carries only the store's id, and the sender
 * uploads the file to Meta ({@code POST /{phone-number-id}/media}, reused for {@code media.uploadReuse})
 * and sends the message with the id the upload returned, so a flow sends a stored file like any other
 * reply. Build it with {@code OutboundMedia.toQueued()} ({@code io.wabot.media}), which checks Meta's limits
 * for the file (the types it sends for the kind, its size); captions and file names are checked here.
 *
 * <p>Its {@link #toJson()} is not a Cloud API body until the sender has replaced {@code stored} with the
 * upload's {@code id}.
 */
public record StoredMediaMessage(String to, String kind, String storeId, String caption, String filename)
    implements OutboundMessage {

  /** The media store's ids: 32 URL-safe characters. */
  private static final Pattern STORE_ID = Pattern.compile("[A-Za-z0-9_-]{32}");

  /** The key of the media object naming the stored file, replaced by {@code id} before sending. */
  public static final String STORED = "stored";

  public StoredMediaMessage {
    if (storeId == null || !STORE_ID.matcher(storeId).matches()) {
      throw new InvalidMessageException("a stored media message needs the media store's id of the file");
    }
    // The same rules as any media message: its kind, a caption only where Meta shows one, a file name only on documents.
    new MediaMessage(to, kind, storeId, null, caption, filename);
  }

  @Override
  public String type() {
    return kind;
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
