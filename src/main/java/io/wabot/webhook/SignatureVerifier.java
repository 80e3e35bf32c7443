package io.wabot.webhook;

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
