package io.wabot.testing;

import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.config.AppConfig;
import io.wabot.config.ConfigLoaderAccess;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Starts the whole service in-process against a test Redis, configured as an operator would. */
public final class TestApps {

  public static final String APP_SECRET = "test-app-secret";
  public static final String VERIFY_TOKEN = "test-verify-token";
  public static final String ACCESS_TOKEN = "test-access-token-0001";
  public static final String PHONE_NUMBER_ID = "106540352242922";
  /** The {@code number} label of the test number in metrics and logs (unnamed: a short hash of its id). */
  public static final String NUMBER_LABEL = io.wabot.config.NumberConfig.labelFor(null, PHONE_NUMBER_ID);

  private TestApps() {
  }

  /** The environment of a live deployment pointed at a test Redis, on a free port. */
  public static Map<String, String> liveEnv(String redisUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("WHATSAPP_ACCESS_TOKEN", ACCESS_TOKEN);
    env.put("WHATSAPP_PHONE_NUMBER_ID", PHONE_NUMBER_ID);
    env.put("WHATSAPP_APP_SECRET", APP_SECRET);
    env.put("WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN);
    env.put("REDIS_URL", redisUrl);
    // No test talks to Meta: replies a test leaves in the outbound queue meet a refused connection
    // here. Tests of sending point this at a GraphApiSimulator instead.
    env.put("WHATSAPP_API_BASE_URL", "http://127.0.0.1:9");
    env.put("HTTP_PORT", "0");
    env.put("SHUTDOWN_TIMEOUT", "5s");
    return env;
  }

  public static AppConfig liveConfig(String redisUrl) {
    return config(liveEnv(redisUrl), new JsonObject());
  }

  public static AppConfig config(Map<String, String> env, JsonObject overrides) {
    return ConfigLoaderAccess.build(env, overrides).config();
  }

  /** The bot in sandbox mode (the Graph API simulator, no credentials) on a free port. */
  public static Application startSandbox(String redisUrl) {
    return start(sandboxConfig(redisUrl));
  }

  public static AppConfig sandboxConfig(String redisUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("SANDBOX", "true");
    env.put("REDIS_URL", redisUrl);
    env.put("HTTP_PORT", "0");
    return config(env, new JsonObject());
  }

  public static Application start(AppConfig config) {
    Application app = new Application(config);
    Futures.await(app.start(), Duration.ofSeconds(30));
    return app;
  }

  public static void stop(Application app) {
    if (app != null) {
      Futures.await(app.stop(), Duration.ofSeconds(30));
    }
  }
}
