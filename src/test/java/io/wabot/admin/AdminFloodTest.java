package io.wabot.admin;

import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.observability.Alerts;
import io.wabot.observability.Metrics;
import io.wabot.observability.Rejections;
import io.wabot.testing.FakeBetterStack;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A flood of wrong admin tokens, as a scanner sends them, with logs shipped to Better Stack: it costs a
 * bounded number of log lines, none holding the path (a customer's number) or the token tried, and an
 * alert fired in the middle of it reaches Better Stack.
 */
class AdminFloodTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String TOKEN = "admin-token-for-tests-0001";
  static final String WRONG = "guessed-token-0000000000";
  static final String PHONE = "5215512345678";
  static final int FLOOD = 2_000;

  private final Vertx side = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();
  private FakeBetterStack betterStack;
  private Application app;

  @BeforeEach
  void start() {
    betterStack = FakeBetterStack.start(side);
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    env.put("ADMIN_TOKEN", TOKEN);
    env.put("BETTERSTACK_SOURCE_TOKEN", FakeBetterStack.TOKEN);
    env.put("BETTERSTACK_INGEST_URL", betterStack.url());
    app = TestApps.start(TestApps.config(env, new JsonObject().put("betterstack", new JsonObject().put("flushInterval", "100ms"))));
  }

  @AfterEach
  void stop() {
    TestApps.stop(app);
    await(side.close());
  }

  private CompletableFuture<HttpResponse<String>> wrongToken(int i) {
    String path = i % 2 == 0 ? "/admin/conversations/" + PHONE + "/handback" : "/admin/dead-letters/outbound?offset=" + i;
    return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
        .method(i % 2 == 0 ? "POST" : "GET", HttpRequest.BodyPublishers.noBody())
        .header("Authorization", "Bearer " + WRONG).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("2,000 wrong admin tokens: every one refused and counted, two log lines at most, and an alert fired meanwhile reaches Better Stack")
  void floodOfWrongTokens() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    Semaphore inFlight = new Semaphore(32); // a scanner's pace: many at once, within the server's caps
    try (LogCapture logs = LogCapture.of(Rejections.class)) {
      for (int i = 0; i < FLOOD; i++) {
        inFlight.acquire();
        answers.add(wrongToken(i).whenComplete((answer, failure) -> inFlight.release()));
        if (i == FLOOD / 2) {
          Alerts.fire(app.vertx().eventBus(), "flood_test", "An alert fired during the flood", new JsonObject());
        }
      }
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get();
      assertThat(answers).allSatisfy(a -> assertThat(a.get().statusCode()).isEqualTo(401));
      assertThat(logs.named("http.rejected")).as("one line at once, at most one summary").hasSizeBetween(1, 2);
    }
    Counter refused = Metrics.registry(app.vertx()).find(Rejections.METRIC).tag("endpoint", "admin").counter();
    assertThat(refused.count()).isEqualTo(FLOOD);

    poll("the condition").atMost(Duration.ofSeconds(15)).until(() -> betterStack.events().stream()
        .anyMatch(e -> "alert.fired".equals(e.getString("event")) && "flood_test".equals(e.getString("alert"))));
    assertThat(betterStack.events()).allSatisfy(e -> assertThat(e.encode()).doesNotContain(PHONE).doesNotContain(WRONG));
  }
}
