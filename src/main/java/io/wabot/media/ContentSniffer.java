package io.wabot.media;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Tells from a file's first bytes whether it can be what its MIME type claims: a JPEG starts with
 * {@code FF D8 FF}, a PDF with {@code %PDF}, an MP4 has {@code ftyp} at offset 4, and so on. Types
 * without a reliable signature (plain text, AAC without ADTS) pass. An HTML page where a file was
 * expected (a proxy's or CDN's error page answered with 200) is named as such.
 */
public final class ContentSniffer {

  /** How many leading bytes the checks look at. */
  public static final int HEAD_BYTES = 1024;

  private static final byte[] OLE = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};
  private static final byte[] ZIP = {'P', 'K', 3, 4};

  private static final Map<String, Predicate<byte[]>> SIGNATURES = Map.ofEntries(
      Map.entry("image/jpeg", h -> startsWith(h, 0, (byte) 0xFF, (byte) 0xD8, (byte) 0xFF)),
      Map.entry("image/png", h -> startsWith(h, 0, (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n')),
      Map.entry("image/webp", ContentSniffer::isWebp),
      Map.entry("application/pdf", h -> ascii(h).contains("%PDF-")),
      Map.entry("audio/ogg", h -> startsWith(h, 0, 'O', 'g', 'g', 'S')),
      Map.entry("audio/amr", h -> startsWith(h, 0, '#', '!', 'A', 'M', 'R')),
      Map.entry("audio/mpeg", h -> startsWith(h, 0, 'I', 'D', '3') || frameSync(h)),
      Map.entry("audio/mp4", ContentSniffer::isIsoMedia),
      Map.entry("video/mp4", ContentSniffer::isIsoMedia),
      Map.entry("video/3gpp", ContentSniffer::isIsoMedia),
      Map.entry("video/3gp", ContentSniffer::isIsoMedia),
      Map.entry("application/msword", h -> startsWith(h, 0, OLE)),
      Map.entry("application/vnd.ms-excel", h -> startsWith(h, 0, OLE)),
      Map.entry("application/vnd.ms-powerpoint", h -> startsWith(h, 0, OLE)),
      Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", h -> startsWith(h, 0, ZIP)),
      Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", h -> startsWith(h, 0, ZIP)),
      Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation", h -> startsWith(h, 0, ZIP)),
      Map.entry("application/zip", h -> startsWith(h, 0, ZIP)));

  private ContentSniffer() {
  }

  /** Null when {@code head} fits {@code mimeType}; otherwise why not ({@code html_page} or {@code mime_mismatch}). */
  public static MediaFailure check(String mimeType, byte[] head) {
    String type = MediaKind.baseType(mimeType);
    if (type == null) {
      return null;
    }
    if (!type.startsWith("text/") && looksLikeHtml(head)) {
      return MediaFailure.of(MediaFailure.Reason.HTML_PAGE, "the body is an HTML page, not " + type);
    }
    Predicate<byte[]> signature = SIGNATURES.get(type);
    if (signature != null && head.length > 0 && !signature.test(head)) {
      return MediaFailure.of(MediaFailure.Reason.MIME_MISMATCH, "the bytes are not " + type);
    }
    return null;
  }

  static boolean looksLikeHtml(byte[] head) {
    String start = ascii(head).stripLeading().toLowerCase(Locale.ROOT);
    if (start.startsWith("\uFEFF")) {
      start = start.substring(1);
    }
    return start.startsWith("<!doctype html") || start.startsWith("<html") || start.startsWith("<head")
        || start.startsWith("<body") || start.startsWith("<?xml") && start.contains("<html");
  }

  private static boolean isWebp(byte[] h) {
    return startsWith(h, 0, 'R', 'I', 'F', 'F') && startsWith(h, 8, 'W', 'E', 'B', 'P');
  }

  /** ISO base media (MP4, M4A, 3GP): a box whose type is {@code ftyp} at offset 4. */
  private static boolean isIsoMedia(byte[] h) {
    return startsWith(h, 4, 'f', 't', 'y', 'p');
  }

  /** An MPEG audio frame header: 11 bits set. */
  private static boolean frameSync(byte[] h) {
    return h.length >= 2 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xE0) == 0xE0;
  }

  private static boolean startsWith(byte[] h, int offset, int... expected) {
    if (h.length < offset + expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (h[offset + i] != (byte) expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] h, int offset, byte[] expected) {
    int[] ints = new int[expected.length];
    for (int i = 0; i < expected.length; i++) {
      ints[i] = expected[i];
    }
    return startsWith(h, offset, ints);
  }

  private static String ascii(byte[] h) {
    return new String(h, 0, Math.min(h.length, HEAD_BYTES), StandardCharsets.ISO_8859_1);
  }
}
