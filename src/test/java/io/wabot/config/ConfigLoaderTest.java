package io.wabot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  static final Map<String, String> LIVE = Map.of(
      "WHATSAPP_ACCESS_TOKEN", "EAAGsecretaccesstoken1234",
      "WHATSAPP_PHONE_NUMBER_ID", "106540352242922",
      "WHATSAPP_APP_SECRET", "appsecretvalue98765",
      "WHATSAPP_VERIFY_TOKEN", "verify-token-abcdef");

  static JsonObject defaults() throws IOException {
    return new JsonObject(Files.readString(Path.of(ConfigLoader.DEFAULTS_PATH)));
  }

  static Map<String, String> env(Map<String, String> base, String... pairs) {
    Map<String, String> env = new HashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  static LoadedConfig build(JsonObject file, Map<String, String> env) throws IOException {
    return ConfigLoader.build(defaults(), file, env, List.of());
  }

  static List<String> problemsOf(JsonObject file, Map<String, String> env) {
    return catchThrowableOfType(ConfigException.class, () -> build(file, env)).problems();
  }

  @Test
  @DisplayName("environment beats the override file, which beats the defaults, and each setting knows its source")
  void precedence() throws IOException {
    JsonObject file = new JsonObject()
        .put("http", new JsonObject().put("port", 9090).put("instances", 2))
        .put("shutdown", new JsonObject().put("timeout", "20s"));
    LoadedConfig loaded = build(file, env(LIVE, "HTTP_PORT", "7070"));

    assertThat(loaded.config().http().port()).isEqualTo(7070);
    assertThat(loaded.config().http().instances()).isEqualTo(2);
    assertThat(loaded.config().mode().shutdownTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(loaded.config().redis().url()).isEqualTo("redis://localhost:6379");

    Map<String, String> settings = loaded.describeSettings();
    assertThat(settings).containsEntry("http.port", "7070 (env)")
        .containsEntry("http.instances", "2 (file)")
        .containsEntry("shutdown.timeout", "20s (file)")
        .containsEntry("redis.url", "redis://localhost:6379 (default)");
  }

  @Test
  @DisplayName("with nothing set, the four WhatsApp credentials are named, one line each")
  void nothingSet() {
    List<String> problems = problemsOf(new JsonObject(), Map.of());
    assertThat(problems).hasSize(4);
    assertThat(problems.get(0)).startsWith("WHATSAPP_ACCESS_TOKEN: is missing");
    assertThat(problems.get(1)).startsWith("WHATSAPP_PHONE_NUMBER_ID: is missing");
    assertThat(problems.get(2)).startsWith("WHATSAPP_APP_SECRET: is missing");
    assertThat(problems.get(3)).startsWith("WHATSAPP_VERIFY_TOKEN: is missing");
    assertThat(problems).allSatisfy(p -> assertThat(p).contains("Example: ").doesNotContain("\n"));
  }

  @Test
  @DisplayName("every invalid setting is reported at once, with the variable, the fault and an example")
  void everyProblemAtOnce() {
    List<String> problems = problemsOf(new JsonObject().put("redis", new JsonObject().put("poolSize", 0)), env(LIVE,
        "HTTP_PORT", "eighty",
        "REDIS_URL", "http://localhost:6379",
        "WHATSAPP_API_VERSION", "23",
        "WHATSAPP_API_BASE_URL", "graph.facebook.com",
        "SHUTDOWN_TIMEOUT", "10",
        "SANDBOX", "maybe",
        "ADMIN_TOKEN", "short"));

    assertThat(problems).hasSize(8);
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("HTTP_PORT: must be a whole number from 0 to 65535, got \"eighty\"")
        .endsWith("Example: HTTP_PORT=8080"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("REDIS_URL: must be a URL starting with"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("WHATSAPP_API_VERSION: must look like v23.0"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("WHATSAPP_API_BASE_URL: must be a URL"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("SHUTDOWN_TIMEOUT: must be a duration with a unit")
        .contains("set in the environment"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("SANDBOX: must be true or false"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("ADMIN_TOKEN: must be at least 16 characters"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("redis.poolSize: must be a whole number from 1 to 256")
        .contains("(set in CONFIG_FILE)").endsWith("Example: {\"redis\": {\"poolSize\": 8}}"));
  }

  @Test
  @DisplayName("secret values never appear in problems or in the settings report")
  void secretsNeverPrinted() throws IOException {
    Map<String, String> env = env(LIVE,
        "ADMIN_TOKEN", "tooshortsecret",
        "BETTERSTACK_SOURCE_TOKEN", "bstokenvalue-5555",
        "REDIS_URL", "redis://:redispassword@localhost:6379",
        "HTTP_PORT", "nope");
    List<String> problems = problemsOf(new JsonObject(), env);
    String problemText = String.join("\n", problems);
    assertThat(problemText).doesNotContain("tooshortsecret");

    LoadedConfig loaded = build(new JsonObject(), env(LIVE,
        "BETTERSTACK_SOURCE_TOKEN", "bstokenvalue-5555",
        "ADMIN_TOKEN", "admin-token-0123456789",
        "REDIS_URL", "redis://:redispassword@localhost:6379"));
    String report = loaded.describeSettings().toString();
    for (String secret : List.of("EAAGsecretaccesstoken1234", "appsecretvalue98765", "verify-token-abcdef",
        "bstokenvalue-5555", "admin-token-0123456789", "redispassword")) {
      assertThat(report).doesNotContain(secret);
    }
    assertThat(loaded.describeSettings())
        .containsEntry("whatsapp.accessToken", "****1234 (env)")
        .containsEntry("admin.token", "****6789 (env)")
        .containsEntry("redis.url", "redis://****@localhost:6379 (env)")
        .containsEntry("whatsapp.phoneNumberId", "106540352242922 (env)");
    assertThat(loaded.config().whatsapp().accessToken().toString()).isEqualTo("****1234");
  }

  @Test
  @DisplayName("the settings report masks the secrets, agent numbers and webhook paths inside each entry of whatsapp.numbers")
  void numbersListMasked() throws IOException {
    Map<String, String> env = new HashMap<>(LIVE);
    env.remove("WHATSAPP_PHONE_NUMBER_ID");
    JsonObject file = new JsonObject().put("whatsapp", new JsonObject().put("numbers", new JsonArray()
        .add(new JsonObject().put("phoneNumberId", "209876543210987").put("name", "sales")
            .put("accessToken", "EAAGperNumberToken777"))
        .add(new JsonObject().put("phoneNumberId", "309876543210987").put("name", "support")
            .put("appSecret", "support-app-secret-42").put("verifyToken", "support-verify-token-99")
            .put("conversation", new JsonObject().put("escalation", new JsonObject()
                .put("webhookUrl", "https://hooks.slack.com/services/T000/B000/XXXXsecretpath")
                .put("webhookSecret", "escalation-hmac-secret-1")
                .put("agentNumber", 5215599887766L))))));

    LoadedConfig loaded = build(file, env);

    String report = loaded.describeSettings().toString();
    for (String secret : List.of("EAAGperNumberToken777", "support-app-secret-42", "support-verify-token-99",
        "XXXXsecretpath", "escalation-hmac-secret-1", "5215599887766")) {
      assertThat(report).as("settings report").doesNotContain(secret);
    }
    assertThat(loaded.describeSettings().get("whatsapp.numbers")).as("what is not secret stays readable")
        .contains("\"phoneNumberId\":\"209876543210987\"", "\"name\":\"support\"", "\"accessToken\":\"****n777\"",
            "\"agentNumber\":\"****7766\"", "https://hooks.slack.com/…");
  }

  @Test
  @DisplayName("the settings report masks the agent's phone number and hides the path of webhook URLs")
  void personalDataAndCapabilityUrlsMasked() throws IOException {
    LoadedConfig loaded = build(new JsonObject(), env(LIVE,
        "AGENT_WHATSAPP_NUMBER", "5215599887766",
        "ESCALATION_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/XXXXsecretpath"));
    String report = loaded.describeSettings().toString();
    assertThat(report).doesNotContain("5215599887766").doesNotContain("XXXXsecretpath").doesNotContain("T000");
    assertThat(loaded.describeSettings())
        .containsEntry("conversation.escalation.agentNumber", "****7766 (env)")
        .containsEntry("conversation.escalation.webhookUrl", "https://hooks.slack.com/… (env)");
    assertThat(loaded.config().conversation().escalation().webhookUrl()).endsWith("XXXXsecretpath");
  }

  @Test
  @DisplayName("numeric-looking ids stay exact strings, from the environment and from a file")
  void idsStayStrings() throws IOException {
    LoadedConfig fromEnv = build(new JsonObject(), env(LIVE, "WHATSAPP_PHONE_NUMBER_ID", "010654035224292212"));
    assertThat(fromEnv.config().whatsapp().phoneNumberId()).isEqualTo("010654035224292212");

    Map<String, String> noId = new HashMap<>(LIVE);
    noId.remove("WHATSAPP_PHONE_NUMBER_ID");
    JsonObject file = new JsonObject().put("whatsapp", new JsonObject().put("phoneNumberId", 106540352242922L));
    assertThat(build(file, noId).config().whatsapp().phoneNumberId()).isEqualTo("106540352242922");
  }

  @Test
  @DisplayName("a misspelt setting in the override file is refused with a suggestion")
  void unknownSetting() {
    JsonObject file = new JsonObject().put("http", new JsonObject().put("prot", 9090));
    assertThat(problemsOf(file, LIVE)).singleElement().asString()
        .startsWith("http.prot: is not a setting").contains("did you mean http.port?");
  }

  @Test
  @DisplayName("sandbox mode needs no credentials but refuses live ones unless told explicitly")
  void sandboxCredentials() throws IOException {
    WhatsAppConfig sandbox = build(new JsonObject(), Map.of("SANDBOX", "true")).config().whatsapp();
    assertThat(sandbox.accessToken().value()).isEqualTo(WhatsAppConfig.SANDBOX_ACCESS_TOKEN);
    assertThat(build(new JsonObject(), Map.of("SANDBOX", "true")).config().http().host())
        .as("the unauthenticated sandbox API stays on this machine by default").isEqualTo("127.0.0.1");
    assertThat(build(new JsonObject(), Map.of("SANDBOX", "true", "HTTP_HOST", "0.0.0.0")).config().http().host())
        .isEqualTo("0.0.0.0");
    assertThat(build(new JsonObject(), LIVE).config().http().host()).isEqualTo("0.0.0.0");

    assertThat(problemsOf(new JsonObject(), env(LIVE, "SANDBOX", "true"))).singleElement().asString()
        .startsWith("SANDBOX: is true while live Meta credentials are set");
    assertThat(build(new JsonObject(), env(LIVE, "SANDBOX", "true", "SANDBOX_ALLOW_LIVE_CREDENTIALS", "true"))
        .config().mode().sandbox()).isTrue();
  }

  @Test
  @DisplayName("the override file named by CONFIG_FILE is read, an unreadable one is reported, and a missing one is \"not found\"")
  void configFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("override.json");
    Files.writeString(file, "{\"http\": {\"port\": 9191}}");
    Vertx vertx = Vertx.vertx();
    try {
      LoadedConfig loaded = ConfigLoader.load(vertx, env(LIVE, "CONFIG_FILE", file.toString()))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(loaded.config().http().port()).isEqualTo(9191);

      Files.writeString(file, "{ not json");
      assertThatThrownBy(() -> ConfigLoader.load(vertx, env(LIVE, "CONFIG_FILE", file.toString()))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .cause().isInstanceOf(ConfigException.class)
          .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement().asString()
              .startsWith("CONFIG_FILE: cannot read \"" + file + "\" as JSON"));

      Path missing = dir.resolve("missing.json");
      assertThatThrownBy(() -> ConfigLoader.load(vertx, env(LIVE, "CONFIG_FILE", missing.toString()))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .cause().isInstanceOf(ConfigException.class)
          .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement().asString()
              .isEqualTo("CONFIG_FILE: \"" + missing + "\" not found. Example: CONFIG_FILE=/etc/whatsapp-chatbot/config.json"));
    } finally {
      vertx.close();
    }
  }
}
