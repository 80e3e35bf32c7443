package io.wabot.media;

import io.wabot.whatsapp.outbound.InvalidMessageException;
import io.wabot.whatsapp.outbound.Limits;
import io.wabot.whatsapp.outbound.MediaMessage;
import io.wabot.whatsapp.outbound.OutboundMessage;
import io.wabot.whatsapp.outbound.StoredMediaMessage;

/**
 * An image, audio, video, document or sticker for a customer, from a file in the bot's media store, a
 * media id already uploaded to Meta, or a public link; Meta's limits are checked here, when it is built:
 * the MIME types Meta accepts for the kind, its size limit (for stored files), captions only on image,
 * video and document, file names only on documents.
 *
 * <pre>{@code
 * OutboundMedia photo = OutboundMedia.image(customer, OutboundMedia.stored(productPhoto), "Front view");
 * uploader.prepare(photo).map(message -> ...);  // uploads once, reuses the id, gives a MediaMessage
 * }</pre>
 *
 * A stored file becomes a {@link MediaMessage} once uploaded ({@code MediaUploader#prepare}); an id or a
 * link becomes one at once ({@link #toMessage()}).
 */
public record OutboundMedia(String to, MediaKind kind, Source source, String caption, String filename) {

  /** Where the bytes come from. */
  public sealed interface Source {
  }

  /** A file in the bot's media store: uploaded to Meta before sending (once; the id is reused). */
  public record Stored(StoredMedia media) implements Source {
  }

  /** Media already uploaded to Meta. */
  public record Uploaded(String mediaId) implements Source {
  }

  /** A public https URL Meta fetches itself. */
  public record Link(String url) implements Source {
  }

  public OutboundMedia {
    Limits.recipient(to);
    if (kind == null || source == null) {
      throw new InvalidMessageException("media needs a kind and a source (a stored file, a media id or a link)");
    }
    Limits.maxLength(caption, Limits.MEDIA_CAPTION, "media caption");
    if (caption != null && !kind.captioned()) {
      throw new InvalidMessageException("a caption is only allowed on image, video and document, not " + kind.wireName());
    }
    if (filename != null && kind != MediaKind.DOCUMENT) {
      throw new InvalidMessageException("a file name is only allowed on documents");
    }
    if (source instanceof Stored stored) {
      check(kind, stored.media());
      if (filename == null && kind == MediaKind.DOCUMENT) {
        filename = stored.media().filename();
      }
    } else if (source instanceof Uploaded uploaded) {
      Limits.required(uploaded.mediaId(), "media id");
    } else if (source instanceof Link link && (link.url() == null || !link.url().startsWith("https://"))) {
      throw new InvalidMessageException("a media link must be a public https URL");
    }
  }

  private static void check(MediaKind kind, StoredMedia media) {
    if (!kind.acceptsForSending(media.mimeType())) {
      throw new InvalidMessageException("WhatsApp does not send " + media.mimeType() + " as " + kind.wireName()
          + "; it accepts " + kind.sendableTypes());
    }
    if (media.size() > kind.maxBytes()) {
      throw new InvalidMessageException("the " + kind.wireName() + " is " + media.size() + " bytes; WhatsApp allows at most "
          + kind.maxBytes() + ". Make it smaller" + (kind == MediaKind.IMAGE ? ", or send it as a document." : "."));
    }
  }

  public static Source stored(StoredMedia media) {
    return new Stored(media);
  }

  public static Source id(String mediaId) {
    return new Uploaded(mediaId);
  }

  public static Source link(String url) {
    return new Link(url);
  }

  public static OutboundMedia image(String to, Source source, String caption) {
    return new OutboundMedia(to, MediaKind.IMAGE, source, caption, null);
  }

  public static OutboundMedia audio(String to, Source source) {
    return new OutboundMedia(to, MediaKind.AUDIO, source, null, null);
  }

  public static OutboundMedia video(String to, Source source, String caption) {
    return new OutboundMedia(to, MediaKind.VIDEO, source, caption, null);
  }

  public static OutboundMedia document(String to, Source source, String caption, String filename) {
    return new OutboundMedia(to, MediaKind.DOCUMENT, source, caption, filename);
  }

  public static OutboundMedia sticker(String to, Source source) {
    return new OutboundMedia(to, MediaKind.STICKER, source, null, null);
  }

  /** Whether the bytes must be uploaded to Meta first. */
  public boolean needsUpload() {
    return source instanceof Stored;
  }

  /** The message for a media id or a link; a stored file needs {@link #withMediaId} after its upload. */
  public MediaMessage toMessage() {
    if (source instanceof Uploaded uploaded) {
      return withMediaId(uploaded.mediaId());
    }
    if (source instanceof Link link) {
      return new MediaMessage(to, kind.wireName(), null, link.url(), caption, filename);
    }
    throw new IllegalStateException("a stored file is sent by the id its upload returns");
  }

  /**
   * The message to queue as a reply ({@code turn.send(...)}): a stored file as a {@link StoredMediaMessage}, which
   * the sender uploads just before sending; an id or a link as it is.
   */
  public OutboundMessage toQueued() {
    if (source instanceof Stored stored) {
      return new StoredMediaMessage(to, kind.wireName(), stored.media().id(), caption, filename);
    }
    return toMessage();
  }

  /** The message that sends the media Meta knows as {@code mediaId}. */
  public MediaMessage withMediaId(String mediaId) {
    return new MediaMessage(to, kind.wireName(), mediaId, null, caption, filename);
  }
}
