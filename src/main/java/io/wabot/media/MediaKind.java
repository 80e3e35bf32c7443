package io.wabot.media;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The five kinds of media WhatsApp carries, with Meta's limits for each (Cloud API, "Supported media
 * types"): the MIME types it accepts and the largest file.
 *
 * <p>Meta states the limits in MB without saying which; they are read here as MiB, the more lenient
 * reading, so a file Meta itself accepted is never refused. A static sticker may be at most 100 KB and
 * an animated one 500 KB; {@link #maxBytes()} is the larger, as the two cannot be told apart by type.
 *
 * <p>Inbound documents may be of any type (customers attach whatever they have: CSV, ZIP...), so only
 * Meta's list for sending ({@link #sendableTypes()}) is closed for documents.
 */
public enum MediaKind {

  IMAGE("image", 5 * MiB.ONE, true, Set.of("image/jpeg", "image/png")),
  AUDIO("audio", 16 * MiB.ONE, false, Set.of("audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg")),
  // Meta's table says video/3gp; the registered type (and what phones send) is video/3gpp.
  VIDEO("video", 16 * MiB.ONE, true, Set.of("video/mp4", "video/3gpp", "video/3gp")),
  DOCUMENT("document", 100 * MiB.ONE, true, Set.of("text/plain", "application/pdf",
      "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.ms-powerpoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation")),
  STICKER("sticker", 500 * 1024, false, Set.of("image/webp"));

  /** Static stickers' own limit (animated ones may reach {@link #maxBytes()}). */
  public static final long STATIC_STICKER_MAX_BYTES = 100 * 1024;

  private final String wireName;
  private final long maxBytes;
  private final boolean captioned;
  private final Set<String> sendableTypes;

  MediaKind(String wireName, long maxBytes, boolean captioned, Set<String> sendableTypes) {
    this.wireName = wireName;
    this.maxBytes = maxBytes;
    this.captioned = captioned;
    this.sendableTypes = sendableTypes;
  }

  /** The Cloud API's name: the message {@code type} and the key of its media object. */
  public String wireName() {
    return wireName;
  }

  /** Meta's largest file of this kind. */
  public long maxBytes() {
    return maxBytes;
  }

  /** Whether a caption may go with it (image, video, document). */
  public boolean captioned() {
    return captioned;
  }

  /** The MIME types Meta accepts when sending this kind. */
  public Set<String> sendableTypes() {
    return sendableTypes;
  }

  /** Whether a customer's file of this MIME type is plausible for this kind. */
  public boolean acceptsInbound(String mimeType) {
    String type = baseType(mimeType);
    if (type == null) {
      return false;
    }
    return this == DOCUMENT ? type.matches("[a-z0-9.+-]+/[a-z0-9.+-]+") : sendableTypes.contains(type);
  }

  /** Whether Meta accepts a file of this MIME type for sending as this kind. */
  public boolean acceptsForSending(String mimeType) {
    String type = baseType(mimeType);
    return type != null && sendableTypes.contains(type);
  }

  public static Optional<MediaKind> fromWireName(String name) {
    return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
  }

  /** {@code audio/ogg; codecs=opus} → {@code audio/ogg}; null for null or blank. */
  public static String baseType(String mimeType) {
    if (mimeType == null || mimeType.isBlank()) {
      return null;
    }
    int semicolon = mimeType.indexOf(';');
    return (semicolon < 0 ? mimeType : mimeType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  /** Binary units, so the table above reads like Meta's. */
  private static final class MiB {
    static final long ONE = 1024L * 1024;
  }
}
