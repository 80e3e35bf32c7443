package io.wabot.media;

import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Checks a file chunk by chunk as it streams past, so that nothing needs it whole: counts its bytes
 * against the limit and the declared size, hashes it (SHA-256), and once its first
 * {@link ContentSniffer#HEAD_BYTES} are in, sniffs them against the declared MIME type. The first
 * problem found is returned and stops the transfer.
 */
final class ContentCheck {

  private final String mimeType;
  private final long limit;
  private final long declaredSize;
  private final MessageDigest sha256;
  private final byte[] head = new byte[ContentSniffer.HEAD_BYTES];
  private int headLength;
  private boolean sniffed;
  private long count;

  /**
   * @param mimeType     what the bytes must be
   * @param limit        the most bytes allowed
   * @param declaredSize the size the source announced, or a negative number when it announced none
   */
  ContentCheck(String mimeType, long limit, long declaredSize) {
    this.mimeType = mimeType;
    this.limit = limit;
    this.declaredSize = declaredSize;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Takes the next chunk; null while all is well, else what is wrong. */
  MediaFailure accept(Buffer chunk) {
    count += chunk.length();
    if (declaredSize >= 0 && count > declaredSize) {
      return MediaFailure.of(MediaFailure.Reason.LARGER_THAN_DECLARED,
          "more than the declared " + declaredSize + " bytes arrived");
    }
    if (count > limit) {
      return MediaFailure.of(MediaFailure.Reason.TOO_LARGE, "more than " + limit + " bytes");
    }
    byte[] bytes = chunk.getBytes();
    sha256.update(bytes);
    if (!sniffed) {
      int take = Math.min(bytes.length, head.length - headLength);
      System.arraycopy(bytes, 0, head, headLength, take);
      headLength += take;
      if (headLength == head.length) {
        return sniff();
      }
    }
    return null;
  }

  /** At the end of the stream: the remaining checks. */
  MediaFailure finish() {
    MediaFailure failure = sniffed ? null : sniff();
    if (failure != null) {
      return failure;
    }
    if (declaredSize >= 0 && count < declaredSize) {
      return MediaFailure.of(MediaFailure.Reason.TRUNCATED, count + " of the declared " + declaredSize + " bytes arrived");
    }
    return null;
  }

  private MediaFailure sniff() {
    sniffed = true;
    return ContentSniffer.check(mimeType, Arrays.copyOf(head, headLength));
  }

  long count() {
    return count;
  }

  /** The lowercase hex SHA-256 of everything accepted; call once, after {@link #finish()}. */
  String sha256Hex() {
    return HexFormat.of().formatHex(sha256.digest());
  }
}
