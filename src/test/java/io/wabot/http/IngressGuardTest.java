package io.wabot.http;

import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.micrometer.core.instrument.Counter;
import io.wabot.Application;
import io.wabot.observability.Metrics;
import io.wabot.observability.Rejections;
import io.wabot.testing.RawConnection;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP server against what an attacker sends, over raw connections: trickled headers, trickled
 * bodies, idle connections, more connections, requests and body bytes than it takes. Each refusal is
 * asserted by its signal (the answer, the closed connection) and by the counter that says why.
 */
class IngressGuardTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  private static final String WELL_FORMED_SIGNATURE = "sha256=" + "ab".repeat(32);
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final Vertx side = Vertx.vertx();
  private final NetClient net = side.createNetClient();
  private final List<RawConnection> connections = new ArrayList<>();
  private Application app;

  @AfterEach
  void stop() {
    connections.forEach(RawConnection::close);
    TestApps.stop(app);
    await(side.close());
  }

  private void start(JsonObject http) {
    app = TestApps.start(TestApps.config(TestApps.liveEnv(REDIS.url()), new JsonObject().put("http", http)));
    // Hold the conversation workers: these tests look at the door, not at the answers.
    REDIS.server().command("SET", "wabot:{bot}:inbound:paused", "99999999999999");
  }

  private RawConnection connect() {
    RawConnection connection = RawConnection.open(side, net, app.httpPort());
    connections.add(connection);
    return connection;
  }

  private double rejected(String endpoint, String reason) {
    Counter counter = Metrics.registry(app.vertx()).find(Rejections.METRIC).tag("endpoint", endpoint).tag("reason", reason)
        .counter();
    return counter == null ? 0 : counter.count();
  }

  /** The process-wide counters of the running app (the HTTP verticle created them). */
  private IngressLimits limits() {
    return IngressLimits.of(app.vertx(), app.config().http(), Metrics.registry(app.vertx()));
  }

  private void awaitTrue(java.util.concurrent.Callable<Boolean> condition) {
    await(side.executeBlocking(() -> {
      poll("the condition").until(condition);
      return null;
    }), WAIT);
  }

  private static String headers(String method, String path, String... extra) {
    StringBuilder sb = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: bot\r\n");
    for (String header : extra) {
      sb.append(header).append("\r\n");
    }
    return sb.append("\r\n").toString();
  }

  private static JsonObject timeouts(String header, String read) {
    return new JsonObject().put("headerTimeout", header).put("requestReadTimeout", read).put("idleTimeout", "30s");
  }

  @Test
  @DisplayName("headers trickled a byte at a time are cut off by http.headerTimeout")
  void slowHeaders() {
    start(timeouts("1s", "10s"));
    String endless = "POST /webhook HTTP/1.1\r\nHost: bot\r\nX-Padding: " + "a".repeat(500);
    RawConnection loris = connect().trickle(endless, Duration.ofMillis(50));

    await(loris.closed(), WAIT);

    assertThat(loris.trickled()).as("closed while still trickling").isLessThan(endless.length());
    assertThat(loris.received()).as("no request was ever answered").isEmpty();
    assertThat(rejected("server", "header_timeout")).isEqualTo(1);
  }

  @Test
  @DisplayName("a connection that sends nothing is closed by http.headerTimeout; a served one after its keep-alive, uncounted")
  void idleConnections() throws Exception {
    start(timeouts("1s", "10s"));
    RawConnection idle = connect();
    RawConnection served = connect().write(headers("GET", "/health/live"));
    assertThat(await(served.statusLine(), WAIT)).isEqualTo("HTTP/1.1 200 OK");

    await(idle.closed(), WAIT);
    await(served.closed(), WAIT);

    assertThat(rejected("server", "header_timeout")).as("only the one that never sent a request").isEqualTo(1);
  }

  @Test
  @DisplayName("a body trickled after its headers gets 408 and a closed connection after http.requestReadTimeout")
  void slowBody() {
    start(timeouts("10s", "1s"));
    RawConnection slow = connect().write(headers("POST", "/webhook", "Content-Length: 5000",
        "X-Hub-Signature-256: " + WELL_FORMED_SIGNATURE, "Content-Type: application/json"));
    slow.trickle("{\"object\":\"whatsapp_business_account\"" + " ".repeat(4000), Duration.ofMillis(50));

    assertThat(await(slow.statusLine(), WAIT)).startsWith("HTTP/1.1 408");
    await(slow.closed(), WAIT);

    assertThat(rejected("server", "read_timeout")).isEqualTo(1);
    awaitTrue(() -> limits().bodyBytes() == 0); // its share of the body budget was given back
  }

  @Test
  @DisplayName("beyond http.maxConnections a request gets 503 with Retry-After, yet /health/live still answers")
  void connectionCap() throws Exception {
    start(timeouts("10s", "10s").put("maxConnections", 3));
    for (int i = 0; i < 3; i++) {
      connect();
    }
    RawConnection extra = connect().write(headers("GET", "/metrics"));
    String answer = await(extra.statusLine(), WAIT);
    await(extra.closed(), WAIT);
    assertThat(answer).startsWith("HTTP/1.1 503");
    assertThat(extra.received()).containsIgnoringCase("Retry-After: 5");

    RawConnection probe = connect().write(headers("GET", "/health/live"));
    assertThat(await(probe.statusLine(), WAIT)).isEqualTo("HTTP/1.1 200 OK");
    assertThat(rejected("server", "connections")).isGreaterThanOrEqualTo(2);
  }

  @Test
  @DisplayName("beyond http.maxConcurrentRequests a request gets 503 with Retry-After until one ends")
  void requestCap() throws Exception {
    start(timeouts("10s", "10s").put("maxConcurrentRequests", 2));
    for (int i = 0; i < 2; i++) {
      connect().write(headers("POST", "/webhook", "Content-Length: 100", "X-Hub-Signature-256: " + WELL_FORMED_SIGNATURE))
          .write("{");
    }
    awaitTrue(() -> limits().requests() == 2);

    RawConnection third = connect().write(headers("GET", "/webhook?hub.mode=subscribe"));
    assertThat(await(third.statusLine(), WAIT)).startsWith("HTTP/1.1 503");
    assertThat(Webhooks.get(app.httpPort(), "/health/live").statusCode()).isEqualTo(200);
    assertThat(rejected("server", "requests")).isEqualTo(1);
  }

  @Test
  @DisplayName("large bodies fill only their share of http.webhookBodyBudget: the next gets 503 unread, a small signed one still 200")
  void bodyBudget() throws Exception {
    // 256 KiB in all, a quarter kept for bodies of at most 64 KiB: one large body of 100 KiB fits, two do not.
    start(timeouts("10s", "10s").put("webhookBodyLimit", "128KiB").put("webhookBodyBudget", "256KiB"));
    String large = headers("POST", "/webhook", "Content-Length: 102400", "X-Hub-Signature-256: " + WELL_FORMED_SIGNATURE);
    connect().write(large).write("{");
    awaitTrue(() -> limits().bodyBytes() == 102400);

    RawConnection refused = connect().write(large);
    assertThat(await(refused.statusLine(), WAIT)).startsWith("HTTP/1.1 503");
    await(refused.closed(), WAIT);
    assertThat(refused.received()).containsIgnoringCase("Retry-After: 5");

    JsonObject message = Webhooks.text(Webhooks.newWamid(), "16505551234", "hi");
    assertThat(Webhooks.postSigned(app.httpPort(), message).statusCode()).as("Meta's delivery still fits").isEqualTo(200);
    assertThat(rejected("webhook", "budget")).isEqualTo(1);
  }

  @Test
  @DisplayName("a declared length over the limit is refused with 413 before the body is read; a chunked body is cut off at the limit")
  void oversizedBodies() throws Exception {
    start(timeouts("10s", "10s").put("webhookBodyLimit", "32KiB"));
    RawConnection declared = connect().write(headers("POST", "/webhook", "Content-Length: 3145728",
        "X-Hub-Signature-256: " + WELL_FORMED_SIGNATURE));
    assertThat(await(declared.statusLine(), WAIT)).startsWith("HTTP/1.1 413");
    await(declared.closed(), WAIT);

    RawConnection chunked = connect().write(headers("POST", "/webhook", "Transfer-Encoding: chunked",
        "X-Hub-Signature-256: " + WELL_FORMED_SIGNATURE));
    String chunk = "x".repeat(8192);
    for (int i = 0; i < 5; i++) {
      chunked.write(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
    }
    assertThat(await(chunked.statusLine(), WAIT)).startsWith("HTTP/1.1 413");
    await(chunked.closed(), WAIT);
    assertThat(rejected("webhook", "too_large")).isEqualTo(2);
  }

  @Test
  @DisplayName("a malformed signature is refused before the body is read; a wrong one as soon as the body ends")
  void signaturesRefusedEarly() throws Exception {
    start(timeouts("10s", "10s"));
    RawConnection unsigned = connect().write(headers("POST", "/webhook", "Content-Length: 1000000"));
    assertThat(await(unsigned.statusLine(), WAIT)).startsWith("HTTP/1.1 401");
    await(unsigned.closed(), WAIT);

    String body = Webhooks.text(Webhooks.newWamid(), "16505551234", "hi").encode();
    RawConnection wrong = connect().write(headers("POST", "/webhook", "Content-Length: " + body.length(),
        "X-Hub-Signature-256: " + WELL_FORMED_SIGNATURE)).write(Buffer.buffer(body));
    assertThat(await(wrong.statusLine(), WAIT)).startsWith("HTTP/1.1 401");
    assertThat(rejected("webhook", "signature")).isEqualTo(2);
  }
}
