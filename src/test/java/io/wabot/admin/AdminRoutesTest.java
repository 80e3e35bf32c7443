package io.wabot.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.queue.Queues;
import io.wabot.testing.Http;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AdminRoutesTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String TOKEN = "admin-token-for-tests-0001";
  static final String P = "wabot:{bot}:outbound:";

  private Application app;

  @AfterEach
  void stop() {
    TestApps.stop(app);
  }

  private void start(boolean adminOn) {
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    if (adminOn) {
      env.put("ADMIN_TOKEN", TOKEN);
    }
    app = TestApps.start(TestApps.config(env, new JsonObject()));
  }

  private HttpResponse<String> call(String method, String path, String token) throws Exception {
    return token == null ? Http.call(app.httpPort(), method, path, null)
        : Http.call(app.httpPort(), method, path, null, "Authorization", "Bearer " + token);
  }

  /** Puts a dead letter in the outbound queue as the scripts would leave it. */
  private void deadLetter(String id) {
    REDIS.server().command("HSET", P + "dead:" + id, "payload", "{\"kind\":\"message\"}", "cid", "16505551234",
        "attempts", "8", "enq", "1000", "reason", "failed 8 attempts; last error: HTTP 500", "dead_at", "2000");
    REDIS.server().command("ZADD", P + "dlq", "2000", id);
  }

  @Test
  @DisplayName("without ADMIN_TOKEN the admin endpoints do not exist")
  void offWithoutToken() throws Exception {
    start(false);
    assertThat(call("GET", "/admin/queues", null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/admin/queues", "anything").statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("a missing or wrong bearer token is refused with 401")
  void refusesWrongToken() throws Exception {
    start(true);
    assertThat(call("GET", "/admin/queues", null).statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = call("GET", "/admin/queues", TOKEN + "x");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
  }

  @Test
  @DisplayName("operators list, inspect, replay and delete dead letters")
  void deadLetters() throws Exception {
    start(true);
    deadLetter("job-a");
    deadLetter("job-b");

    JsonObject stats = new JsonObject(call("GET", "/admin/queues", TOKEN).body());
    assertThat(stats.getJsonObject(Queues.OUTBOUND).getLong("deadLetters")).isEqualTo(2);
    assertThat(stats.getJsonObject(Queues.INBOUND).getLong("waiting")).isZero();

    JsonObject list = new JsonObject(call("GET", "/admin/dead-letters/outbound", TOKEN).body());
    assertThat(list.getJsonArray("deadLetters")).hasSize(2);

    JsonObject one = new JsonObject(call("GET", "/admin/dead-letters/outbound/job-a", TOKEN).body());
    assertThat(one.getString("reason")).isEqualTo("failed 8 attempts; last error: HTTP 500");
    assertThat(one.getString("conversationId")).isEqualTo("16505551234");

    // The service's sender would claim the replayed job at once; hold the outbound queue to look at it.
    REDIS.server().command("SET", P + "paused", Long.toString(System.currentTimeMillis() + 60_000), "PX", "60000");
    assertThat(call("POST", "/admin/dead-letters/outbound/job-a/replay", TOKEN).statusCode()).isEqualTo(200);
    assertThat(REDIS.server().command("LINDEX", P + "conv:16505551234", "0")).isEqualTo("job-a");
    assertThat(REDIS.server().command("HGET", P + "job:job-a", "attempts")).isEqualTo("0");
    assertThat(call("POST", "/admin/dead-letters/outbound/job-a/replay", TOKEN).statusCode()).isEqualTo(404);

    assertThat(call("DELETE", "/admin/dead-letters/outbound/job-b", TOKEN).statusCode()).isEqualTo(204);
    assertThat(call("GET", "/admin/dead-letters/outbound/job-b", TOKEN).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/admin/dead-letters/nosuchqueue", TOKEN).statusCode()).isEqualTo(404);
    assertThat(Webhooks.get(app.httpPort(), "/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("operators look up the delivery status Meta reported for a sent message")
  void messageStatus() throws Exception {
    start(true);
    JsonObject failed = Webhooks.status("wamid.OUT9", "16505551234", "failed").put("timestamp", "1749416391")
        .put("errors", new JsonArray().add(new JsonObject().put("code", 131026).put("title", "Message undeliverable")));
    assertThat(Webhooks.postSigned(app.httpPort(), Webhooks.envelope(Webhooks.change(TestApps.PHONE_NUMBER_ID,
        new JsonArray(), new JsonArray().add(failed)))).statusCode()).isEqualTo(200);
    JsonObject status = new JsonObject(call("GET", "/admin/messages/wamid.OUT9", TOKEN).body());
    assertThat(status).isEqualTo(new JsonObject().put("wamid", "wamid.OUT9").put("status", "failed").put("at", 1749416391L)
        .put("errorCode", 131026));

    // Stored by a version that kept a hash per message.
    REDIS.server().command("HSET", "wabot:{bot}:status:wamid.OLD9", "status", "read", "rank", "3", "ts", "1749416391",
        "code", "", "category", "utility", "billable", "1", "model", "PMP");
    assertThat(new JsonObject(call("GET", "/admin/messages/wamid.OLD9", TOKEN).body())).isEqualTo(new JsonObject()
        .put("wamid", "wamid.OLD9").put("status", "read").put("at", 1749416391L).put("pricing", new JsonObject()
            .put("category", "utility").put("billable", true).put("pricingModel", "PMP")));
    assertThat(call("GET", "/admin/messages/wamid.NOPE", TOKEN).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("while Redis is down the admin endpoints answer 503, not 500")
  void redisDown() throws Exception {
    start(true);
    REDIS.server().kill();
    HttpResponse<String> stats = call("GET", "/admin/queues", TOKEN);
    assertThat(stats.statusCode()).isEqualTo(503);
    assertThat(stats.headers().firstValue("Retry-After")).isPresent();
    assertThat(call("POST", "/admin/conversations/16505551234/handback", TOKEN).statusCode()).isEqualTo(503);
  }
}
