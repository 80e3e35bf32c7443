package io.wabot.media;

import io.wabot.config.MediaConfig;
import io.wabot.config.WhatsAppConfig;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Expiring links to stored media for the team: {@code /media/{id}?exp=<epoch seconds>&sig=<HMAC>}, where
 * the signature is the base64url HMAC-SHA256 of {@code <id>.<exp>} under the signing key. Whoever has the
 * link may fetch the file until it expires; nobody can make or extend one without the key.
 *
 * <p>The key is {@code MEDIA_SIGNING_KEY}; unset, it is derived from {@code WHATSAPP_APP_SECRET}
 * (HMAC-SHA256 of a fixed label), so links work on every node and across restarts without another
 * secret, and become invalid when the app secret is rotated. Set {@code MEDIA_SIGNING_KEY} to rotate
 * links on their own.
 */
public final class SignedMediaUrls {

  /** What checking a link found. */
  public enum Verdict { VALID, EXPIRED, FORGED }

  private static final String DERIVATION_LABEL = "whatsapp-chatbot media links v1";

  private final byte[] key;
  private final Duration lifetime;
  private final String baseUrl;
  private final Clock clock;

  public SignedMediaUrls(byte[] key, Duration lifetime, String baseUrl, Clock clock) {
    this.key = key.clone();
    this.lifetime = lifetime;
    this.baseUrl = baseUrl == null ? "" : baseUrl;
    this.clock = clock;
  }

  public static SignedMediaUrls from(MediaConfig media, WhatsAppConfig whatsapp) {
    return new SignedMediaUrls(key(media, whatsapp), media.urlLifetime(), media.publicBaseUrl(), Clock.systemUTC());
  }

  /** Whether the key comes from {@code MEDIA_SIGNING_KEY} (else from the app secret). */
  public static boolean ownKey(MediaConfig media) {
    return media.signingKey() != null;
  }

  static byte[] key(MediaConfig media, WhatsAppConfig whatsapp) {
    if (media.signingKey() != null) {
      return media.signingKey().value().getBytes(StandardCharsets.UTF_8);
    }
    return hmac(whatsapp.appSecret().value().getBytes(StandardCharsets.UTF_8), DERIVATION_LABEL);
  }

  /** A link valid for {@code media.urlLifetime} from now; absolute when {@code MEDIA_PUBLIC_URL} is set. */
  public String sign(String id) {
    long exp = clock.instant().plus(lifetime).getEpochSecond();
    return baseUrl + "/media/" + id + "?exp=" + exp + "&sig=" + signature(id, exp);
  }

  public Verdict verify(String id, String exp, String sig) {
    if (id == null || exp == null || sig == null || !exp.matches("\\d{1,12}")) {
      return Verdict.FORGED;
    }
    long expires = Long.parseLong(exp);
    byte[] expected = signature(id, expires).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII))) {
      return Verdict.FORGED;
    }
    return clock.instant().getEpochSecond() > expires ? Verdict.EXPIRED : Verdict.VALID;
  }

  /** Seconds the link with this {@code exp} still lives (for caching headers). */
  public long secondsLeft(String exp) {
    return Math.max(0, Long.parseLong(exp) - clock.instant().getEpochSecond());
  }

  private String signature(String id, long exp) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, id + "." + exp));
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is in every JVM", e);
    }
  }
}
