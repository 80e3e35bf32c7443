package io.wabot.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MetricsTokenTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String TOKEN = "metrics-token-0123456789";

  private final HttpClient http = HttpClient.newHttpClient();
  private Application app;

  @AfterEach
  void stop() {
    TestApps.stop(app);
  }

  private HttpResponse<String> scrape(String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + "/metrics"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("with METRICS_TOKEN set, /metrics answers only its bearer token; refusals are counted")
  void tokenRequired() throws Exception {
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    env.put("METRICS_TOKEN", TOKEN);
    app = TestApps.start(TestApps.config(env, new JsonObject()));

    assertThat(scrape(null).statusCode()).isEqualTo(401);
    assertThat(scrape("Bearer wrong-token-0123456789").statusCode()).isEqualTo(401);
    assertThat(scrape(TOKEN).statusCode()).as("the token alone, without Bearer").isEqualTo(401);
    HttpResponse<String> scraped = scrape("Bearer " + TOKEN);
    assertThat(scraped.statusCode()).isEqualTo(200);
    assertThat(scraped.body()).contains("wabot_http_rejected_total{endpoint=\"metrics\",reason=\"token\"} 3.0");
  }

  @Test
  @DisplayName("without METRICS_TOKEN, /metrics is open, as before")
  void openWithoutToken() throws Exception {
    app = TestApps.start(TestApps.liveConfig(REDIS.url()));
    assertThat(scrape(null).statusCode()).isEqualTo(200);
  }
}
