package io.wabot.config;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The business's RSA key pair for the Flows data channel: Meta's clients encrypt each request's AES
 * key with the public half (uploaded with {@code scripts/flows-keys}), the endpoint decrypts it with
 * the private half.
 *
 * <p>{@link #read} takes every PEM form OpenSSL and Node write: PKCS#8 ({@code BEGIN PRIVATE KEY}),
 * encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}, what {@code openssl genrsa -des3} writes since
 * OpenSSL 3) and traditional PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, plain or with
 * {@code Proc-Type: 4,ENCRYPTED}, what Meta's Node example writes). {@link #toString()} never shows
 * the key.
 */
public final class FlowsKey {

  /** Meta asks for 2048-bit keys; shorter ones are refused. */
  public static final int MIN_BITS = 2048;

  /**
   * BouncyCastle's algorithms, used directly rather than registered with the JVM: the JDK lacks some
   * that OpenSSL uses for encrypted keys (PBES2 with DES-EDE3, OpenSSL's legacy key derivation).
   */
  private static final Provider BC = new BouncyCastleProvider();

  private final RSAPrivateCrtKey privateKey;
  private final RSAPublicKey publicKey;

  private FlowsKey(RSAPrivateCrtKey privateKey, RSAPublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  public RSAPublicKey publicKey() {
    return publicKey;
  }

  public int bits() {
    return privateKey.getModulus().bitLength();
  }

  /** A new 2048-bit key pair (scripts/flows-keys, and the sandbox's throwaway key). */
  public static FlowsKey generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(MIN_BITS);
      return of(generator.generateKeyPair().getPrivate());
    } catch (NoSuchAlgorithmException | FlowsKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public half as {@code -----BEGIN PUBLIC KEY-----} PEM: what Meta's encryption endpoint takes. */
  public String publicKeyPem() {
    return pem(publicKey);
  }

  /** The private half as unencrypted PKCS#8 PEM; only for writing a key file the operator asked for. */
  public String privateKeyPem() {
    return pem(privateKey);
  }

  private static String pem(Object key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(key);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /** A pair made in memory (tests, the key script). */
  public static FlowsKey of(PrivateKey key) throws FlowsKeyException {
    if (!(key instanceof RSAPrivateCrtKey rsa)) {
      throw new FlowsKeyException(FlowsKeyException.Kind.NOT_RSA, "is a " + key.getAlgorithm()
          + " key; WhatsApp Flows need an RSA key");
    }
    if (rsa.getModulus().bitLength() < MIN_BITS) {
      throw new FlowsKeyException(FlowsKeyException.Kind.TOO_SMALL, "is a " + rsa.getModulus().bitLength()
          + "-bit RSA key; Meta requires " + MIN_BITS + " bits");
    }
    try {
      RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      return new FlowsKey(rsa, publicKey);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a PEM private key.
   *
   * @param pem        the PEM text (literal {@code \n} sequences, as some secret stores keep them, are read as line breaks)
   * @param passphrase the passphrase of an encrypted key, or null
   */
  public static FlowsKey read(String pem, String passphrase) throws FlowsKeyException {
    String text = pem.contains("\n") ? pem : pem.replace("\\n", "\n");
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      parsed = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new FlowsKeyException(FlowsKeyException.Kind.NOT_A_KEY, "is not a readable PEM key (" + e.getMessage() + ")");
    }
    return of(privateKeyOf(parsed, passphrase));
  }

  private static PrivateKey privateKeyOf(Object parsed, String passphrase) throws FlowsKeyException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    PrivateKeyInfo info;
    if (parsed instanceof PrivateKeyInfo plain) {
      info = plain;
    } else if (parsed instanceof PEMKeyPair pair) {
      info = pair.getPrivateKeyInfo();
    } else if (parsed instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
      char[] secret = requirePassphrase(passphrase);
      info = decrypted(() -> encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(secret)));
    } else if (parsed instanceof PEMEncryptedKeyPair encrypted) {
      char[] secret = requirePassphrase(passphrase);
      info = decrypted(() -> encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BC).build(secret)).getPrivateKeyInfo());
    } else if (parsed instanceof SubjectPublicKeyInfo || parsed instanceof X509CertificateHolder) {
      throw new FlowsKeyException(FlowsKeyException.Kind.PUBLIC_KEY, "is a public key or certificate; give the private"
          + " key here (the public one is what scripts/flows-keys uploads to Meta)");
    } else {
      throw new FlowsKeyException(FlowsKeyException.Kind.NOT_A_KEY, parsed == null
          ? "holds no PEM block (expected -----BEGIN PRIVATE KEY-----, -----BEGIN ENCRYPTED PRIVATE KEY----- or"
              + " -----BEGIN RSA PRIVATE KEY-----)"
          : "is a PEM block of another kind (" + parsed.getClass().getSimpleName() + "), not a private key");
    }
    try {
      return converter.getPrivateKey(info);
    } catch (Exception e) {
      throw new FlowsKeyException(FlowsKeyException.Kind.NOT_A_KEY, "is a damaged private key (" + e.getClass().getSimpleName() + ")");
    }
  }

  private interface Decryption {
    PrivateKeyInfo run() throws Exception;
  }

  /** A wrong passphrase shows as bad padding or as garbage that is not a key: either way, the passphrase. */
  private static PrivateKeyInfo decrypted(Decryption decryption) throws FlowsKeyException {
    try {
      PrivateKeyInfo info = decryption.run();
      new JcaPEMKeyConverter().getPrivateKey(info);
      return info;
    } catch (Exception e) {
      throw new FlowsKeyException(FlowsKeyException.Kind.WRONG_PASSPHRASE, "cannot be decrypted with the passphrase given");
    }
  }

  private static char[] requirePassphrase(String passphrase) throws FlowsKeyException {
    if (passphrase == null || passphrase.isEmpty()) {
      throw new FlowsKeyException(FlowsKeyException.Kind.NEEDS_PASSPHRASE, "is encrypted and no passphrase is set");
    }
    return passphrase.toCharArray();
  }

  @Override
  public String toString() {
    return "FlowsKey[RSA " + bits() + " bits]";
  }
}
