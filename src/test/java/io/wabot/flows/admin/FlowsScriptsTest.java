package io.wabot.flows.admin;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.config.FlowsKey;
import io.wabot.sandbox.FlowsClientSimulator;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.SimulatedGraphApi;
import io.wabot.testing.TestApps;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** scripts/flows-keys and scripts/flows-publish against the Graph API simulator, which answers like Meta. */
class FlowsScriptsTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String WABA = "102290129340398";

  @TempDir
  Path dir;

  @RegisterExtension
  final SimulatedGraphApi graphApi = new SimulatedGraphApi();

  private GraphApiSimulator graph;

  /** What one run printed and returned. */
  record Run(int status, String out, String err) {
  }

  @BeforeEach
  void start() {
    graph = graphApi.simulator();
  }

  private Map<String, String> env(String... extra) {
    Map<String, String> env = new HashMap<>(Map.of("WHATSAPP_ACCESS_TOKEN", TestApps.ACCESS_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID", TestApps.PHONE_NUMBER_ID, "WHATSAPP_BUSINESS_ACCOUNT_ID", WABA,
        "WHATSAPP_API_BASE_URL", graph.baseUrl()));
    for (int i = 0; i < extra.length; i += 2) {
      env.put(extra[i], extra[i + 1]);
    }
    return env;
  }

  interface Command {
    int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err);
  }

  private static Run run(Command command, Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = command.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("flows-keys makes an encrypted key pair, uploads the public key, and the bot answers requests encrypted with it")
  void keys() throws Exception {
    Path out = dir.resolve("keys");
    Run made = run(FlowsKeysCommand::run, env("WHATSAPP_FLOWS_PRIVATE_KEY_PASSPHRASE", "s3cret passphrase"),
        "--out", out.toString(), "--upload");
    assertThat(made.status()).as(made.err()).isZero();
    assertThat(made.out()).contains("Uploaded the public key to phone number " + TestApps.PHONE_NUMBER_ID);
    Path privateFile = out.resolve("flows-private.pem");
    assertThat(Files.readString(privateFile)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile))).isEqualTo("rw-------");
    FlowsKey key = FlowsKey.read(Files.readString(privateFile), "s3cret passphrase");
    assertThat(graph.flows().publicKey()).contains(key.publicKey());

    Map<String, String> bot = TestApps.liveEnv(REDIS.url());
    bot.put("WHATSAPP_FLOWS_PRIVATE_KEY", privateFile.toString());
    bot.put("WHATSAPP_FLOWS_PRIVATE_KEY_PASSPHRASE", "s3cret passphrase");
    Application app = TestApps.start(TestApps.config(bot, new JsonObject()));
    try {
      FlowsClientSimulator meta = graph.flowsClient("http://127.0.0.1:" + app.httpPort(), TestApps.APP_SECRET);
      assertThat(await(meta.ping()).data().getString("status")).isEqualTo("active");
    } finally {
      TestApps.stop(app);
    }

    Run again = run(FlowsKeysCommand::run, env(), "--out", out.toString());
    assertThat(again.status()).isEqualTo(2);
    assertThat(again.err()).contains("flows-private.pem exists already");
  }

  @Test
  @DisplayName("flows-keys: --help, a dry run that uploads nothing, unknown options, a refused token")
  void keysErrors() {
    assertThat(run(FlowsKeysCommand::run, Map.of(), "--help").out()).startsWith("Usage: scripts/flows-keys");
    Run dry = run(FlowsKeysCommand::run, Map.of("WHATSAPP_API_BASE_URL", graph.baseUrl()), "--out", dir.resolve("a").toString(), "--dry-run");
    assertThat(dry.status()).isZero();
    assertThat(dry.out()).contains("would POST " + graph.baseUrl() + "/v23.0/<WHATSAPP_PHONE_NUMBER_ID>/whatsapp_business_encryption")
        .contains("Dry run: nothing was uploaded.");
    assertThat(graph.flows().publicKey()).isEmpty();
    assertThat(run(FlowsKeysCommand::run, Map.of(), "--bogus").status()).isEqualTo(2);
    Run refused = run(FlowsKeysCommand::run, env("WHATSAPP_ACCESS_TOKEN", "expired-token"), "--out", dir.resolve("b").toString(), "--upload");
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err()).contains("HTTP 401, code 190").contains("Check WHATSAPP_ACCESS_TOKEN").doesNotContain("expired-token");
    Run noNumber = run(FlowsKeysCommand::run, Map.of("WHATSAPP_ACCESS_TOKEN", "t"), "--out", dir.resolve("c").toString(), "--upload");
    assertThat(noNumber.status()).isEqualTo(2);
    assertThat(noNumber.err()).contains("WHATSAPP_PHONE_NUMBER_ID is not set");
  }

  @Test
  @DisplayName("flows-publish creates the flow, uploads its JSON, publishes it, and leaves a published flow alone")
  void publish() {
    Run dry = run(FlowsPublishCommand::run, Map.of(), "--endpoint-uri", "https://bot.example.com/flows", "--dry-run");
    assertThat(dry.status()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("would POST https://graph.facebook.com/v23.0/<WHATSAPP_BUSINESS_ACCOUNT_ID>/flows")
        .contains("/assets").contains("Dry run: nothing was changed.");

    Run created = run(FlowsPublishCommand::run, env(), "--endpoint-uri", "https://bot.example.com/flows", "--publish",
        "--categories", "APPOINTMENT_BOOKING");
    assertThat(created.status()).as(created.err()).isZero();
    assertThat(created.out()).contains("reserve_item: created as a DRAFT flow").contains("reserve_item: published");
    assertThat(graph.flows().flows()).singleElement().satisfies(flow -> {
      assertThat(flow.getString("name")).isEqualTo("reserve_item");
      assertThat(flow.getString("status")).isEqualTo("PUBLISHED");
      assertThat(flow.getString("endpoint_uri")).isEqualTo("https://bot.example.com/flows");
      assertThat(new JsonObject(flow.getString("flow_json")).getString("data_api_version")).isEqualTo("3.0");
    });

    Run again = run(FlowsPublishCommand::run, env(), "--endpoint-uri", "https://bot.example.com/flows");
    assertThat(again.status()).isZero();
    assertThat(again.out()).contains("reserve_item: PUBLISHED on the account").contains("left as it is");
  }

  @Test
  @DisplayName("flows-publish refuses broken files before sending anything, and needs the endpoint URL and the account")
  void publishErrors() throws Exception {
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Files.writeString(flows.resolve("broken.json"), "{\"screens\": []}");
    Run broken = run(FlowsPublishCommand::run, env(), "--dir", flows.toString());
    assertThat(broken.status()).isEqualTo(1);
    assertThat(broken.err()).contains("problem(s) in the flow files; nothing was sent").contains("broken.json: version: is missing");
    assertThat(graph.flows().flows()).isEmpty();

    Run noEndpoint = run(FlowsPublishCommand::run, env());
    assertThat(noEndpoint.status()).isEqualTo(2);
    assertThat(noEndpoint.err()).contains("give --endpoint-uri");
    Map<String, String> noAccount = env();
    noAccount.remove("WHATSAPP_BUSINESS_ACCOUNT_ID");
    Run withoutAccount = run(FlowsPublishCommand::run, noAccount, "--endpoint-uri", "https://bot.example.com/flows");
    assertThat(withoutAccount.status()).isEqualTo(2);
    assertThat(withoutAccount.err()).contains("WHATSAPP_BUSINESS_ACCOUNT_ID is not set");
    assertThat(run(FlowsPublishCommand::run, env(), "--flow", "nope", "--endpoint-uri", "x").err())
        .contains("no flow \"nope\" in conf/flows; there are [reserve_item]");
    assertThat(run(FlowsPublishCommand::run, Map.of(), "--help").out()).startsWith("Usage: scripts/flows-publish");
  }
}
