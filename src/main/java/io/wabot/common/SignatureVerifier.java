package io.wabot.common;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>}
 * on the bytes exactly as received, comparing in constant time.
 */
public final class SignatureVerifier {

  private static final String PREFIX = "sha256=";

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  public SignatureVerifier(String appSecret) {
    this.key = new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether a header can be a signature at all ({@code sha256=} and 64 hex digits): one that cannot is
   * refused before a byte of the body is read.
   */
  public static boolean wellFormed(String header) {
    if (header == null || header.length() != PREFIX.length() + 64 || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return false;
    }
    for (int i = PREFIX.length(); i < header.length(); i++) {
      if (Character.digit(header.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** A signature computed as the body streams in, so that checking it needs no second pass over the body. */
  public Incremental incremental() {
    return new Incremental(freshMac());
  }

  /**
   * A Mac of its own for one body: a copy of this thread's keyed one, which costs a fraction of a new one (the
   * provider look-up and the key's set-up are most of {@code Mac.getInstance} + {@code init}, once per webhook).
   * Each body needs its own, since the bodies of several requests stream in on one event loop at once.
   */
  private Mac freshMac() {
    try {
      Mac mac = (Mac) macs.get().clone();
      mac.reset();
      return mac;
    } catch (CloneNotSupportedException e) {
      return newMac();
    }
  }

  /** The HMAC of a body being received; feed it each chunk, then compare once at the end. */
  public static final class Incremental {
    private final Mac mac;

    private Incremental(Mac mac) {
      this.mac = mac;
    }

    public void update(Buffer chunk) {
      mac.update(chunk.getBytes());
    }

    /** Feeds bytes the caller already copied out of a chunk (one copy for several secrets). */
    public void update(byte[] chunk) {
      mac.update(chunk);
    }

    /** Whether the bytes fed so far carry this header's signature; compared in constant time. */
    public boolean matches(String header) {
      if (!wellFormed(header)) {
        return false;
      }
      byte[] expected = HexFormat.of().formatHex(mac.doFinal()).getBytes(StandardCharsets.US_ASCII);
      byte[] actual = header.substring(PREFIX.length()).toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
      return MessageDigest.isEqual(expected, actual);
    }
  }

  /**
   * Whether this verifier's key is {@code appSecret}, compared in constant time: which numbers' app signed a
   * body is decided by the key that matched, read at the moment the body ends (a reload may have changed them).
   */
  public boolean hasSecret(String appSecret) {
    return appSecret != null && MessageDigest.isEqual(key.getEncoded(), appSecret.getBytes(StandardCharsets.UTF_8));
  }

  /** The header value Meta would send for this body. */
  public String sign(Buffer body) {
    return PREFIX + HexFormat.of().formatHex(macs.get().doFinal(body.getBytes()));
  }

  public boolean verify(Buffer body, String header) {
    if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return false;
    }
    byte[] expected = sign(body).getBytes(StandardCharsets.US_ASCII);
    byte[] actual = (PREFIX + header.substring(PREFIX.length()).trim().toLowerCase(java.util.Locale.ROOT))
        .getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, actual);
  }
}
