package io.wabot;

import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.testing.JarProcess;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.RedisServer;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The out-of-memory reproduction of issue 14, against the packaged jar started as production starts it
 * ({@code java @conf/jvm.options -jar}, a 64 MB heap): many connections, each declaring and sending
 * nearly 3 MiB of body with a wrong signature, over and over. Before the fix about twenty of them killed
 * the process. Now it must survive, keep answering {@code /health/live}, answer a signed message sent
 * meanwhile, and log the refusals in a handful of lines.
 */
class HostileTrafficIT {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final int ATTACKERS = 40;
  static final int BODY = 3 * 1024 * 1024;
  static final String CUSTOMER = "4915200000001";

  @TempDir
  Path dir;

  private final Vertx side = Vertx.vertx();
  private final GraphApiSimulator simulator = new GraphApiSimulator(side, TestApps.ACCESS_TOKEN, TestApps.PHONE_NUMBER_ID);
  private final AtomicBoolean attacking = new AtomicBoolean(true);
  private final AtomicInteger connections = new AtomicInteger();
  private final List<Thread> attackers = new ArrayList<>();
  private JarProcess bot;
  private int port;

  @BeforeEach
  void start() throws Exception {
    await(simulator.listen("127.0.0.1", 0));
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    port = RedisServer.freePort();
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("WHATSAPP_API_BASE_URL", simulator.baseUrl());
    bot = JarProcess.startReady(env, dir.resolve("bot.log"));
  }

  @AfterEach
  void stop() throws Exception {
    attacking.set(false);
    for (Thread attacker : attackers) {
      attacker.join(TimeUnit.SECONDS.toMillis(20));
    }
    if (bot != null) {
      bot.stop();
    }
    await(simulator.close());
    await(side.close());
  }

  private String log() throws IOException {
    return bot.log();
  }

  /** One attacker: declares 3 MiB, sends all but one byte of it with a wrong signature, holds, and starts over. */
  private void attack() {
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) ' ');
    String headers = "POST /webhook HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: " + BODY
        + "\r\nX-Hub-Signature-256: sha256=" + "0".repeat(64) + "\r\n\r\n";
    while (attacking.get()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        connections.incrementAndGet();
        OutputStream out = socket.getOutputStream();
        out.write(headers.getBytes(StandardCharsets.US_ASCII));
        for (int sent = 0; sent + chunk.length < BODY && attacking.get(); sent += chunk.length) {
          out.write(chunk);
        }
        out.flush();
        InputStream in = socket.getInputStream();
        while (in.read() >= 0) {
          // holds the connection until the server closes it
        }
      } catch (IOException refusedOrClosed) {
        // the server refused or closed it: start over, as an attacker would
      }
    }
  }

  private double metric(String name, String endpoint, String reason) throws Exception {
    String text = Webhooks.get(port, "/metrics").body();
    Matcher m = Pattern.compile(name + "\\{endpoint=\"" + endpoint + "\",reason=\"" + reason + "\"[^}]*\\} ([0-9.]+)").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  @DisplayName("forty connections sending 3 MiB unsigned bodies over and over: no OOM, /health/live answers, a signed message is answered")
  void survivesBodyFlood() throws Exception {
    for (int i = 0; i < ATTACKERS; i++) {
      Thread attacker = new Thread(this::attack, "attacker-" + i);
      attacker.setDaemon(true);
      attackers.add(attacker);
      attacker.start();
    }
    poll("the attack under way, or the bot dead").atMost(Duration.ofSeconds(30))
        .until(() -> connections.get() >= ATTACKERS || !bot.process().isAlive());
    assertThat(bot.process().isAlive()).as("alive under attack; log:%n%s", log()).isTrue();
    assertThat(connections.get()).as("the attack is under way").isGreaterThanOrEqualTo(ATTACKERS);

    for (int i = 0; i < 5; i++) {
      assertThat(Webhooks.get(port, "/health/live").statusCode()).as("live; log:%n%s", log()).isEqualTo(200);
    }
    String wamid = Webhooks.newWamid();
    JsonObject message = Webhooks.text(wamid, CUSTOMER, "hi");
    // Meta delivers again after a 503; so does this test.
    poll("the signed message is taken during the attack").atMost(Duration.ofSeconds(30)).until(() -> Webhooks.postSigned(port, message).statusCode() == 200);
    poll("and answered").atMost(Duration.ofSeconds(30)).until(() -> simulator.accepted().stream()
        .anyMatch(r -> "read".equals(r.kind()) && wamid.equals(r.body().getString("message_id"))));
    assertThat(metric("wabot_http_rejected_total", "webhook", "budget")).as("the budget turned bodies away").isPositive();
    int attempts = connections.get();

    attacking.set(false);
    assertThat(bot.process().isAlive()).as("alive after %d attacking connections; log:%n%s", attempts, log()).isTrue();
    assertThat(Webhooks.get(port, "/health/live").statusCode()).isEqualTo(200);
    bot.stop();

    String log = log();
    assertThat(log).doesNotContain("OutOfMemoryError");
    long refusalLines = log.lines().filter(l -> l.contains("\"event\":\"http.rejected\"")).count();
    assertThat(refusalLines).as("%d connections refused in a handful of lines", attempts).isLessThan(40);
  }
}
