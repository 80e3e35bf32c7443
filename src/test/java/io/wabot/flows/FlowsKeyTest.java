package io.wabot.flows;

import io.wabot.config.FlowsKey;
import io.wabot.config.FlowsKeyException;
import io.wabot.testing.KeyFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static io.wabot.testing.KeyFiles.PASSPHRASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlowsKeyTest {

  @TempDir
  static Path dir;

  @BeforeAll
  static void keys() {
    KeyFiles.genrsa(dir, "pkcs8.pem");
    KeyFiles.genrsa(dir, "pkcs1.pem", "-traditional");
    KeyFiles.genrsa(dir, "des3.pem", "-des3");
    KeyFiles.genrsa(dir, "aes256.pem", "-aes256");
    KeyFiles.genrsa(dir, "des3-traditional.pem", "-traditional", "-des3");
    KeyFiles.genrsa(dir, "aes128-traditional.pem", "-traditional", "-aes128");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"pkcs8.pem", "pkcs1.pem", "des3.pem", "aes256.pem", "des3-traditional.pem", "aes128-traditional.pem"})
  @DisplayName("every PEM form OpenSSL writes is read, and its public half is OpenSSL's")
  void everyForm(String file) throws Exception {
    boolean encrypted = !file.startsWith("pkcs");
    Path key = dir.resolve(file);
    FlowsKey read = FlowsKey.read(KeyFiles.read(key), encrypted ? PASSPHRASE : null);
    assertThat(read.bits()).isEqualTo(2048);
    assertThat(read.publicKeyPem().strip()).isEqualTo(KeyFiles.read(KeyFiles.publicOf(key, encrypted ? PASSPHRASE : null)).strip());
    assertThat(read).hasToString("FlowsKey[RSA 2048 bits]");
  }

  @Test
  @DisplayName("Meta's own command, openssl genrsa -des3, writes a key that needs its passphrase, and only the right one")
  void passphrases() {
    String pem = KeyFiles.read(dir.resolve("des3.pem"));
    assertThatThrownBy(() -> FlowsKey.read(pem, null)).isInstanceOfSatisfying(FlowsKeyException.class,
        e -> assertThat(e.kind()).isEqualTo(FlowsKeyException.Kind.NEEDS_PASSPHRASE));
    assertThatThrownBy(() -> FlowsKey.read(pem, "wrong")).isInstanceOfSatisfying(FlowsKeyException.class,
        e -> assertThat(e.kind()).isEqualTo(FlowsKeyException.Kind.WRONG_PASSPHRASE));
    String traditional = KeyFiles.read(dir.resolve("des3-traditional.pem"));
    assertThatThrownBy(() -> FlowsKey.read(traditional, "wrong")).isInstanceOfSatisfying(FlowsKeyException.class,
        e -> assertThat(e.kind()).isEqualTo(FlowsKeyException.Kind.WRONG_PASSPHRASE));
  }

  @Test
  @DisplayName("a PEM kept on one line with \\n escapes, as secret stores often keep it, is read")
  void escapedNewlines() throws Exception {
    String pem = KeyFiles.read(dir.resolve("pkcs8.pem")).strip().replace("\n", "\\n");
    assertThat(FlowsKey.read(pem, null).bits()).isEqualTo(2048);
  }

  @Test
  @DisplayName("public keys, EC keys, short RSA keys and garbage are refused, each with its reason")
  void refused() {
    Path ec = KeyFiles.openssl(dir.resolve("ec.pem"), "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout",
        "-out", dir.resolve("ec.pem").toString());
    Path small = KeyFiles.openssl(dir.resolve("small.pem"), "openssl", "genrsa", "-out", dir.resolve("small.pem").toString(), "1024");
    assertKind(KeyFiles.read(KeyFiles.publicOf(dir.resolve("pkcs8.pem"), null)), FlowsKeyException.Kind.PUBLIC_KEY);
    assertKind(KeyFiles.read(ec), FlowsKeyException.Kind.NOT_RSA);
    assertKind(KeyFiles.read(small), FlowsKeyException.Kind.TOO_SMALL);
    assertKind("not a key at all", FlowsKeyException.Kind.NOT_A_KEY);
    assertKind("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", FlowsKeyException.Kind.NOT_A_KEY);
  }

  private static void assertKind(String pem, FlowsKeyException.Kind kind) {
    assertThatThrownBy(() -> FlowsKey.read(pem, null)).isInstanceOfSatisfying(FlowsKeyException.class,
        e -> assertThat(e.kind()).isEqualTo(kind));
  }
}
