package io.wabot.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.common.SignatureVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The service serving two business numbers of two Meta apps, each with its own app secret and verify token,
 * listed in a {@code CONFIG_FILE} a test may rewrite before a reload: "Sales" of app X (the default number) and
 * "Support" of app Y. Inbound work is held, so tests see what the webhook stored. A JUnit extension: started
 * before each test, stopped after it.
 *
 * <pre>{@code
 * @RegisterExtension static final RedisExtension REDIS = new RedisExtension();
 * @RegisterExtension final TwoApps apps = new TwoApps(REDIS);
 * }</pre>
 */
public final class TwoApps implements BeforeEachCallback, AfterEachCallback {

  public static final String SALES = "201000000000001";
  public static final String SUPPORT = "202000000000002";
  public static final String SECRET_X = "secret-of-app-x";
  public static final String SECRET_Y = "secret-of-app-y";
  public static final String VERIFY_X = "verify-token-of-app-x";
  public static final String VERIFY_Y = "verify-token-of-app-y";
  public static final String ADMIN_TOKEN = "admin-token-for-two-apps-01";
  public static final String P = "wabot:{bot}:";

  private final RedisExtension redisExtension;
  private RedisServer redis;
  private Path dir;
  private Path file;
  private Application app;

  public TwoApps(RedisExtension redis) {
    this.redisExtension = redis;
  }

  /** An entry of {@code whatsapp.numbers} with its own app secret and verify token. */
  public static JsonObject number(String id, String name, String appSecret, String verifyToken) {
    return new JsonObject().put("phoneNumberId", id).put("name", name).put("appSecret", appSecret).put("verifyToken", verifyToken);
  }

  public static JsonArray salesAndSupport() {
    return new JsonArray().add(number(SALES, "Sales", SECRET_X, VERIFY_X)).add(number(SUPPORT, "Support", SECRET_Y, VERIFY_Y));
  }

  /** Starts the service with {@link #salesAndSupport()} in a configuration file of its own. */
  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    redis = redisExtension.server();
    dir = Files.createTempDirectory("two-apps");
    file = dir.resolve("numbers.json");
    JsonObject config = configWith(salesAndSupport());
    write(file, config);
    Map<String, String> env = TestApps.liveEnv(redisExtension.url());
    // The numbers come from the list, each with its app's secret and token: no single-number settings.
    List.of("WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN").forEach(env::remove);
    env.put("CONFIG_FILE", file.toString());
    env.put("ADMIN_TOKEN", ADMIN_TOKEN);
    app = new Application(TestApps.config(env, config)).reloadingFrom(env);
    redis.command("SET", P + "inbound:paused", "99999999999999");
    Futures.await(app.start(), Duration.ofSeconds(30));
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    TestApps.stop(app);
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  private static JsonObject configWith(JsonArray numbers) {
    return new JsonObject().put("whatsapp", new JsonObject().put("numbers", numbers));
  }

  /** Rewrites the configuration file with these numbers (what an operator does before a reload). */
  public void writeNumbers(JsonArray numbers) {
    write(file, configWith(numbers));
  }

  /** Rewrites the configuration file with this text, valid or not. */
  public void writeFile(String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, JsonObject config) {
    try {
      Files.writeString(file, config.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Application app() {
    return app;
  }

  public int port() {
    return app.httpPort();
  }

  /** POSTs the body signed with {@code appSecret}, as that Meta app would. */
  public HttpResponse<String> post(JsonObject body, String appSecret) throws Exception {
    String encoded = body.encode();
    return Webhooks.post(port(), encoded, new SignatureVerifier(appSecret).sign(Buffer.buffer(encoded)));
  }

  /** A text message from {@code customer} to the number {@code phoneNumberId}, alone in its webhook. */
  public static JsonObject text(String phoneNumberId, String wamid, String customer) {
    return Webhooks.envelope(message(phoneNumberId, wamid, customer));
  }

  /** The change carrying one text message to {@code phoneNumberId}. */
  public static JsonObject message(String phoneNumberId, String wamid, String customer) {
    return Webhooks.change(phoneNumberId, new JsonArray().add(Webhooks.textMessage(wamid, customer, "hi")), null);
  }

  /** The conversation key of {@code customer} in the alias map of the number {@code phoneNumberId}; null when unknown there. */
  public String keyOf(String phoneNumberId, String customer) {
    return CustomerKeys.keyOf(redis, P, phoneNumberId, customer);
  }

  /** The payload of the stored inbound job {@code wamid}; null when nothing was queued for it. */
  public JsonObject inboundJob(String wamid) {
    String payload = redis.command("HGET", P + "inbound:job:" + wamid, "payload");
    return payload == null || payload.startsWith("$-1") ? null : new JsonObject(payload);
  }

  /** The job ids waiting in the conversation {@code key}, in order. */
  public List<String> conversation(String key) {
    int n = Integer.parseInt(redis.command("LLEN", P + "inbound:conv:" + key).substring(1));
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> redis.command("LINDEX", P + "inbound:conv:" + key, Integer.toString(i))).toList();
  }

  public String metrics() throws Exception {
    return Webhooks.get(port(), "/metrics").body();
  }

  public HttpResponse<String> reload() throws Exception {
    return Http.call(port(), "POST", "/admin/config/reload", null, "Authorization", "Bearer " + ADMIN_TOKEN);
  }
}
