package io.wabot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.wabot.testing.KeyFiles;
import io.wabot.testing.TestApps;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowsConfigTest {

  @TempDir
  static Path dir;
  static Path encrypted;
  static Path plain;

  @BeforeAll
  static void keys() {
    encrypted = KeyFiles.genrsa(dir, "encrypted.pem", "-des3");
    plain = KeyFiles.plain(dir, "plain.pem");
  }

  static Map<String, String> env(String... pairs) {
    Map<String, String> env = TestApps.liveEnv("redis://127.0.0.1:6399");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  static List<String> problems(Map<String, String> env) {
    try {
      ConfigLoaderAccess.build(env, new JsonObject());
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("the configuration was accepted");
  }

  @Test
  @DisplayName("/flows is off without a key; a key file with its passphrase, or the PEM text itself, turns it on")
  void keys_accepted() {
    assertThat(ConfigLoaderAccess.build(env(), new JsonObject()).config().flows().enabled()).isFalse();
    FlowsConfig fromFile = ConfigLoaderAccess.build(env("WHATSAPP_FLOWS_PRIVATE_KEY", encrypted.toString(),
        "WHATSAPP_FLOWS_PRIVATE_KEY_PASSPHRASE", KeyFiles.PASSPHRASE, "WHATSAPP_BUSINESS_ACCOUNT_ID", "102290129340398"),
        new JsonObject()).config().flows();
    assertThat(fromFile.enabled()).isTrue();
    assertThat(fromFile.key().bits()).isEqualTo(2048);
    assertThat(fromFile.businessAccountId()).isEqualTo("102290129340398");
    String oneLine = KeyFiles.read(plain).strip().replace("\n", "\\n");
    LoadedConfig fromText = ConfigLoaderAccess.build(env("WHATSAPP_FLOWS_PRIVATE_KEY", oneLine), new JsonObject());
    assertThat(fromText.config().flows().enabled()).isTrue();
    assertThat(fromText.describeSettings().toString()).as("the settings report never shows the key")
        .doesNotContain(oneLine.substring(40, 80)).contains("flows.privateKey=****");
  }

  @Test
  @DisplayName("sandbox mode without a key makes a throwaway one, so the sample's forms work; with a key it uses that key")
  void sandboxKey() {
    Map<String, String> sandbox = new java.util.HashMap<>(Map.of("SANDBOX", "true", "REDIS_URL", "redis://127.0.0.1:6399"));
    FlowsConfig first = ConfigLoaderAccess.build(sandbox, new JsonObject()).config().flows();
    FlowsConfig second = ConfigLoaderAccess.build(sandbox, new JsonObject()).config().flows();
    assertThat(first.enabled()).isTrue();
    assertThat(first.key().bits()).isEqualTo(2048);
    assertThat(second.key().publicKeyPem()).as("made for each start, never stored").isNotEqualTo(first.key().publicKeyPem());
    sandbox.put("WHATSAPP_FLOWS_PRIVATE_KEY", plain.toString());
    assertThat(ConfigLoaderAccess.build(sandbox, new JsonObject()).config().flows().key().publicKeyPem())
        .isEqualTo(KeyFiles.read(KeyFiles.publicOf(plain, null)).replace("\r", ""));
  }

  @Test
  @DisplayName("a missing file, a missing or wrong passphrase, a stray passphrase, a bad account id: one line each, all at once")
  void problems_listed() {
    assertThat(problems(env("WHATSAPP_FLOWS_PRIVATE_KEY", "/nowhere/flows.pem"))).singleElement().asString()
        .startsWith("WHATSAPP_FLOWS_PRIVATE_KEY: is neither PEM text nor the path of a file (\"/nowhere/flows.pem\" does not exist)")
        .contains("Example: WHATSAPP_FLOWS_PRIVATE_KEY=/run/secrets/flows-private.pem");
    assertThat(problems(env("WHATSAPP_FLOWS_PRIVATE_KEY", encrypted.toString()))).singleElement().asString()
        .startsWith("WHATSAPP_FLOWS_PRIVATE_KEY: is encrypted and no passphrase is set; set WHATSAPP_FLOWS_PRIVATE_KEY_PASSPHRASE");
    List<String> wrong = problems(env("WHATSAPP_FLOWS_PRIVATE_KEY", encrypted.toString(),
        "WHATSAPP_FLOWS_PRIVATE_KEY_PASSPHRASE", "hunter2-not-it", "WHATSAPP_BUSINESS_ACCOUNT_ID", "+1 555 0100"));
    assertThat(wrong).hasSize(2)
        .anySatisfy(p -> assertThat(p).startsWith("WHATSAPP_FLOWS_PRIVATE_KEY_PASSPHRASE: does not decrypt"
            + " WHATSAPP_FLOWS_PRIVATE_KEY (wrong passphrase)"))
        .anySatisfy(p -> assertThat(p).startsWith("WHATSAPP_BUSINESS_ACCOUNT_ID: must be the numeric WhatsApp Business Account id"))
        .noneSatisfy(p -> assertThat(p).contains("hunter2"));
    assertThat(problems(env("WHATSAPP_FLOWS_PRIVATE_KEY_PASSPHRASE", "x"))).singleElement().asString()
        .startsWith("WHATSAPP_FLOWS_PRIVATE_KEY_PASSPHRASE: is set but WHATSAPP_FLOWS_PRIVATE_KEY is not");
    assertThatThrownBy(() -> ConfigLoaderAccess.build(env("WHATSAPP_FLOWS_PRIVATE_KEY", KeyFiles.read(KeyFiles.publicOf(plain, null))),
        new JsonObject())).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
            .startsWith("WHATSAPP_FLOWS_PRIVATE_KEY: is a public key or certificate; give the private key here")
            .doesNotContain("BEGIN PUBLIC KEY"));
  }
}
