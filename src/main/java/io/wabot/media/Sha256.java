package io.wabot.media;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * SHA-256 values as Meta writes them: lowercase hex in some answers, base64 in webhooks. Both are
 * read into the one form the bot stores, lowercase hex.
 */
final class Sha256 {

  private Sha256() {
  }

  /** Lowercase hex; null when {@code value} is neither 64 hex digits nor the base64 of 32 bytes. */
  static String normalize(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.trim();
    if (trimmed.matches("[0-9a-fA-F]{64}")) {
      return trimmed.toLowerCase(Locale.ROOT);
    }
    try {
      byte[] bytes = trimmed.contains("-") || trimmed.contains("_")
          ? Base64.getUrlDecoder().decode(trimmed) : Base64.getDecoder().decode(trimmed);
      return bytes.length == 32 ? HexFormat.of().formatHex(bytes) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
