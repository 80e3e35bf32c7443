package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * An image, audio, video, document or sticker, either by the id of media uploaded to Meta or by a
 * public HTTPS link. Captions apply to image, video and document; file names to documents.
 */
public record MediaMessage(String to, String kind, String mediaId, String link, String caption, String filename)
    implements OutboundMessage {

  public static final Set<String> KINDS = Set.of("image", "audio", "video", "document", "sticker");

  public MediaMessage {
    Limits.recipient(to);
    if (!KINDS.contains(kind)) {
      throw new InvalidMessageException("media kind \"" + kind + "\" is not one of " + KINDS);
    }
    if ((mediaId == null) == (link == null)) {
      throw new InvalidMessageException("media needs exactly one of a media id or a link");
    }
    if (link != null && !link.startsWith("https://") && !link.startsWith("http://")) {
      throw new InvalidMessageException("media link \"" + link + "\" must be an http(s) URL");
    }
    Limits.maxLength(caption, Limits.MEDIA_CAPTION, "media caption");
    if (caption != null && !Set.of("image", "video", "document").contains(kind)) {
      throw new InvalidMessageException("a caption is only allowed on image, video and document, not " + kind);
    }
    if (filename != null && !kind.equals("document")) {
      throw new InvalidMessageException("a file name is only allowed on documents");
    }
  }

  public static MediaMessage byId(String to, String kind, String mediaId, String caption) {
    return new MediaMessage(to, kind, mediaId, null, caption, null);
  }

  public static MediaMessage byLink(String to, String kind, String link, String caption) {
    return new MediaMessage(to, kind, null, link, caption, null);
  }

  @Override
  public String type() {
    return kind;
  }

  @Override
  public JsonObject content() {
    JsonObject media = new JsonObject();
    if (mediaId != null) {
      media.put("id", mediaId);
    } else {
      media.put("link", link);
    }
    if (caption != null) {
      media.put("caption", caption);
    }
    if (filename != null) {
      media.put("filename", filename);
    }
    return media;
  }
}
