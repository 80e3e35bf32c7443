package io.wabot.flows;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * The encryption of Meta's Flows data channel. Each request carries a fresh AES-128 key encrypted with
 * the business's public RSA key (RSA-OAEP, SHA-256 and MGF1 with SHA-256), an initialisation vector, and
 * the JSON payload encrypted with AES-128-GCM (the 16-byte tag appended). The answer is the JSON
 * encrypted with the same AES key and the IV with every bit flipped, base64-encoded.
 *
 * <p>The business side ({@link #decryptRequest}, {@link #encryptResponse}) serves {@code POST /flows};
 * Meta's side ({@link #encryptRequest}, {@link #decryptResponse}) lets the simulator call it as Meta's
 * clients do. Thread-safe: each call uses its own cipher.
 */
public final class FlowCrypto {

  static final int AES_KEY_BYTES = 16;
  static final int IV_BYTES = 16;
  private static final int TAG_BITS = 128;
  private static final OAEPParameterSpec OAEP = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
      PSource.PSpecified.DEFAULT);
  private static final SecureRandom RANDOM = new SecureRandom();

  private FlowCrypto() {
  }

  /** The three base64 fields Meta POSTs. */
  public record EncryptedRequest(String encryptedFlowData, String encryptedAesKey, String initialVector) {

    /** Reads the POSTed JSON; null when a field is missing or not a string. */
    public static EncryptedRequest fromJson(JsonObject body) {
      if (body.getValue("encrypted_flow_data") instanceof String data
          && body.getValue("encrypted_aes_key") instanceof String key
          && body.getValue("initial_vector") instanceof String iv) {
        return new EncryptedRequest(data, key, iv);
      }
      return null;
    }

    public JsonObject toJson() {
      return new JsonObject().put("encrypted_flow_data", encryptedFlowData).put("encrypted_aes_key", encryptedAesKey)
          .put("initial_vector", initialVector);
    }
  }

  /**
   * A decrypted request and what its answer is encrypted with. Holds key material and form data (personal):
   * {@link #toString()} shows neither.
   */
  public record Decrypted(JsonObject payload, byte[] aesKey, byte[] iv) {
    @Override
    public String toString() {
      return "Decrypted[action=" + payload.getValue("action") + "]";
    }
  }

  /** The payload could not be decrypted with our key: answer 421 so Meta's client fetches the public key again. */
  public static final class UndecryptableException extends Exception {
    public UndecryptableException(String message) {
      super(message);
    }
  }

  // ---- the business's side ----------------------------------------------------------------------

  public static Decrypted decryptRequest(PrivateKey key, EncryptedRequest request) throws UndecryptableException {
    byte[] aesKey;
    byte[] iv;
    byte[] sealed;
    try {
      Base64.Decoder base64 = Base64.getDecoder();
      iv = base64.decode(request.initialVector());
      sealed = base64.decode(request.encryptedFlowData());
      Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
      rsa.init(Cipher.DECRYPT_MODE, key, OAEP);
      aesKey = rsa.doFinal(base64.decode(request.encryptedAesKey()));
    } catch (IllegalArgumentException e) {
      throw new UndecryptableException("a field is not base64");
    } catch (GeneralSecurityException e) {
      // Encrypted for another public key (a rotated one), or damaged.
      throw new UndecryptableException("the AES key does not decrypt with our private key");
    }
    if (aesKey.length != AES_KEY_BYTES || iv.length == 0 || sealed.length < TAG_BITS / 8) {
      throw new UndecryptableException("unexpected key, IV or payload length");
    }
    byte[] plain;
    try {
      plain = aes(Cipher.DECRYPT_MODE, aesKey, iv, sealed);
    } catch (GeneralSecurityException e) {
      throw new UndecryptableException("the payload fails AES-GCM authentication");
    }
    try {
      return new Decrypted(new JsonObject(new String(plain, StandardCharsets.UTF_8)), aesKey, iv);
    } catch (DecodeException | ClassCastException e) {
      throw new UndecryptableException("the decrypted payload is not a JSON object");
    }
  }

  /** The base64 answer: {@code json} encrypted with the request's key and its bit-flipped IV. */
  public static String encryptResponse(byte[] json, byte[] aesKey, byte[] iv) {
    try {
      return Base64.getEncoder().encodeToString(aes(Cipher.ENCRYPT_MODE, aesKey, flip(iv), json));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  // ---- Meta's side ------------------------------------------------------------------------------

  /** What Meta's client keeps to read the answer: the request it sent and its AES key and IV. */
  public record Sealed(EncryptedRequest request, byte[] aesKey, byte[] iv) {
    @Override
    public String toString() {
      return "Sealed[]";
    }
  }

  /** Encrypts a payload as Meta's client does, with a fresh AES key and IV. */
  public static Sealed encryptRequest(PublicKey key, JsonObject payload) {
    byte[] aesKey = new byte[AES_KEY_BYTES];
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(aesKey);
    RANDOM.nextBytes(iv);
    try {
      Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
      rsa.init(Cipher.ENCRYPT_MODE, key, OAEP);
      Base64.Encoder base64 = Base64.getEncoder();
      EncryptedRequest request = new EncryptedRequest(
          base64.encodeToString(aes(Cipher.ENCRYPT_MODE, aesKey, iv, payload.encode().getBytes(StandardCharsets.UTF_8))),
          base64.encodeToString(rsa.doFinal(aesKey)),
          base64.encodeToString(iv));
      return new Sealed(request, aesKey, iv);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA-OAEP or AES-GCM is not available", e);
    }
  }

  /** Reads a base64 answer as Meta's client does; throws when it was not encrypted with the request's key and flipped IV. */
  public static JsonObject decryptResponse(String body, byte[] aesKey, byte[] iv) throws UndecryptableException {
    try {
      byte[] plain = aes(Cipher.DECRYPT_MODE, aesKey, flip(iv), Base64.getDecoder().decode(body.trim()));
      return new JsonObject(new String(plain, StandardCharsets.UTF_8));
    } catch (GeneralSecurityException | IllegalArgumentException | DecodeException | ClassCastException e) {
      throw new UndecryptableException("the answer is not the request's key and flipped IV over a JSON object");
    }
  }

  private static byte[] aes(int mode, byte[] key, byte[] iv, byte[] input) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
    return cipher.doFinal(input);
  }

  static byte[] flip(byte[] iv) {
    byte[] flipped = Arrays.copyOf(iv, iv.length);
    for (int i = 0; i < flipped.length; i++) {
      flipped[i] = (byte) ~flipped[i];
    }
    return flipped;
  }
}
