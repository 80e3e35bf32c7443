package io.wabot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls the service under test on loopback, as a client outside it would. */
public final class Http {

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {
  }

  /** {@code method path} with a JSON body (or none) and headers given as name, value, name, value... */
  public static HttpResponse<String> call(int port, String method, String path, JsonObject body, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body.encode()));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The JSON answer of a call that must succeed. */
  public static JsonObject json(int port, String method, String path, JsonObject body) throws Exception {
    HttpResponse<String> response = call(port, method, path, body);
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  /** One check of {@code GET /health/ready}, by its id ({@code redis}, {@code cluster}, {@code graph-api}...). */
  public static JsonObject readinessCheck(int port, String id) throws Exception {
    JsonObject ready = new JsonObject(call(port, "GET", "/health/ready", null).body());
    return ready.getJsonArray("checks").stream().map(JsonObject.class::cast).filter(c -> id.equals(c.getString("id")))
        .findFirst().orElseThrow(() -> new AssertionError("no " + id + " check in " + ready));
  }
}
