package io.wabot.sandbox;

import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.testing.Futures;
import io.wabot.testing.Http;
import io.wabot.testing.TestApps;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The bot in sandbox mode on a test Redis, and its HTTP API as the chat page calls it. */
final class SandboxApp implements AutoCloseable {

  final Application app;

  SandboxApp(String redisUrl) {
    this(redisUrl, Map.of(), new JsonObject());
  }

  /** With more environment variables and config-file settings than the sandbox's own. */
  SandboxApp(String redisUrl, Map<String, String> moreEnv, JsonObject overrides) {
    Map<String, String> env = new HashMap<>(moreEnv);
    env.put("SANDBOX", "true");
    env.put("REDIS_URL", redisUrl);
    env.put("HTTP_PORT", "0");
    // a reload re-reads these variables (not the overrides, which no file holds)
    app = new Application(TestApps.config(env, overrides)).reloadingFrom(env);
    Futures.await(app.start(), Duration.ofSeconds(30));
  }

  HttpResponse<String> call(String method, String path, JsonObject body) throws Exception {
    return Http.call(app.httpPort(), method, path, body);
  }

  /** A call that must answer 200 with JSON. */
  JsonObject json(String method, String path, JsonObject body) throws Exception {
    return Http.json(app.httpPort(), method, path, body);
  }

  @Override
  public void close() {
    TestApps.stop(app);
  }
}
