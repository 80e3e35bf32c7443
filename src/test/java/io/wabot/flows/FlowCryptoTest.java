package io.wabot.flows;

import io.vertx.core.json.JsonObject;
import io.wabot.config.FlowsKey;
import io.wabot.testing.KeyFiles;
import io.wabot.testing.NodeCrypto;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The encryption checked against Node's crypto (Meta's example endpoint's way), in all four directions. */
class FlowCryptoTest {

  @TempDir
  static Path dir;
  static Path privateFile;
  static Path publicFile;
  static FlowsKey key;

  static final JsonObject PAYLOAD = new JsonObject().put("version", "3.0").put("action", "data_exchange")
      .put("screen", "QUANTITY").put("flow_token", "wbf1.token").put("data", new JsonObject().put("quantity", "2")
          .put("note", "ñandú 🎧 \"quoted\""));

  @BeforeAll
  static void keys() throws Exception {
    privateFile = KeyFiles.genrsa(dir, "private.pem", "-des3");
    publicFile = KeyFiles.publicOf(privateFile, KeyFiles.PASSPHRASE);
    key = FlowsKey.read(KeyFiles.read(privateFile), KeyFiles.PASSPHRASE);
  }

  @Test
  @DisplayName("a request Node encrypts as Meta does is decrypted, and Node reads the answer encrypted with the flipped IV")
  void businessSide() throws Exception {
    NodeCrypto.Request request = NodeCrypto.encryptRequest(publicFile, PAYLOAD);
    FlowCrypto.Decrypted decrypted = FlowCrypto.decryptRequest(key.privateKey(),
        FlowCrypto.EncryptedRequest.fromJson(request.body()));
    assertThat(decrypted.payload()).isEqualTo(PAYLOAD);
    assertThat(Base64.getEncoder().encodeToString(decrypted.aesKey())).isEqualTo(request.aesKey());

    JsonObject answer = new JsonObject().put("screen", "DELIVERY").put("data", new JsonObject().put("summary", "2 × é"));
    String body = FlowCrypto.encryptResponse(answer.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8),
        decrypted.aesKey(), decrypted.iv());
    assertThat(NodeCrypto.decryptResponse(request, body)).isEqualTo(answer);
  }

  @Test
  @DisplayName("the simulator's Meta side is readable by Node playing the business, and reads Node's answer")
  void metaSide() throws Exception {
    FlowCrypto.Sealed sealed = FlowCrypto.encryptRequest(key.publicKey(), PAYLOAD);
    NodeCrypto.Decrypted decrypted = NodeCrypto.decryptRequest(privateFile, KeyFiles.PASSPHRASE, sealed.request().toJson());
    assertThat(decrypted.payload()).isEqualTo(PAYLOAD);
    JsonObject answer = new JsonObject().put("data", new JsonObject().put("status", "active"));
    assertThat(FlowCrypto.decryptResponse(NodeCrypto.encryptResponse(decrypted, answer), sealed.aesKey(), sealed.iv()))
        .isEqualTo(answer);
  }

  @Test
  @DisplayName("a request for another public key, a tampered payload or a non-base64 field cannot be decrypted")
  void undecryptable() {
    Path other = KeyFiles.publicOf(KeyFiles.genrsa(dir, "other.pem"), null);
    JsonObject forOther = NodeCrypto.encryptRequest(other, PAYLOAD).body();
    assertThatThrownBy(() -> FlowCrypto.decryptRequest(key.privateKey(), FlowCrypto.EncryptedRequest.fromJson(forOther)))
        .isInstanceOf(FlowCrypto.UndecryptableException.class);

    JsonObject tampered = NodeCrypto.encryptRequest(publicFile, PAYLOAD).body();
    byte[] data = Base64.getDecoder().decode(tampered.getString("encrypted_flow_data"));
    data[3] ^= 1;
    tampered.put("encrypted_flow_data", Base64.getEncoder().encodeToString(data));
    assertThatThrownBy(() -> FlowCrypto.decryptRequest(key.privateKey(), FlowCrypto.EncryptedRequest.fromJson(tampered)))
        .isInstanceOf(FlowCrypto.UndecryptableException.class).hasMessageContaining("authentication");

    JsonObject notBase64 = NodeCrypto.encryptRequest(publicFile, PAYLOAD).body().put("initial_vector", "%%%");
    assertThatThrownBy(() -> FlowCrypto.decryptRequest(key.privateKey(), FlowCrypto.EncryptedRequest.fromJson(notBase64)))
        .isInstanceOf(FlowCrypto.UndecryptableException.class);
  }
}
