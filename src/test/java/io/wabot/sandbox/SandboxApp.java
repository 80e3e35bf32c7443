package io.wabot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.testing.TestApps;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** The bot in sandbox mode on a test Redis, and its HTTP API as the chat page calls it. */
final class SandboxApp implements AutoCloseable {

  private final HttpClient http = HttpClient.newHttpClient();
  final Application app;

  SandboxApp(String redisUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("SANDBOX", "true");
    env.put("REDIS_URL", redisUrl);
    env.put("HTTP_PORT", "0");
    app = TestApps.start(TestApps.config(env, new JsonObject()));
  }

  HttpResponse<String> call(String method, String path, JsonObject body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
        .header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A call that must answer 200 with JSON. */
  JsonObject json(String method, String path, JsonObject body) throws Exception {
    HttpResponse<String> response = call(method, path, body);
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  @Override
  public void close() {
    TestApps.stop(app);
  }
}
