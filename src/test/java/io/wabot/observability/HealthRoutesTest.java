package io.wabot.observability;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HealthRoutesTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  private Application app;

  @BeforeEach
  void start() {
    app = TestApps.start(TestApps.liveConfig(REDIS.url()));
  }

  @AfterEach
  void stop() {
    TestApps.stop(app);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return Webhooks.get(app.httpPort(), path);
  }

  @Test
  @DisplayName("live and ready answer 200 while Redis answers")
  void upWhenRedisUp() throws Exception {
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("UP");
  }

  @Test
  @DisplayName("ready answers 503 naming redis while Redis is down, and recovers when it is back")
  void downWhenRedisDown() throws Exception {
    REDIS.server().kill();
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    JsonObject body = new JsonObject(ready.body());
    assertThat(body.getString("status")).isEqualTo("DOWN");
    assertThat(body.getJsonArray("checks").stream().map(JsonObject.class::cast))
        .anySatisfy(check -> assertThat(check.getString("id")).isEqualTo("redis"))
        .allSatisfy(check -> {
          if (check.getString("id").equals("redis")) {
            assertThat(check.getString("status")).isEqualTo("DOWN");
          }
        });
    assertThat(get("/health/live").statusCode()).isEqualTo(200);

    REDIS.server().start();
    poll("readiness back up").until(() -> get("/health/ready").statusCode() == 200);
  }
}
