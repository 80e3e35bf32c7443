package io.wabot;

import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.sandbox.SimulatedFault;
import io.wabot.sandbox.StatusReporter;
import io.wabot.testing.JarProcess;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.RedisServer;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window in which a reply used to go out twice: Meta has accepted it (and will deliver it), but the
 * bot has not recorded that yet, when its process is killed or its Redis restarts. The Graph API is
 * simulated in this JVM, and plays Meta's part fully: a message it accepted is delivered even if its
 * answer never reached the bot, and reported by status webhooks echoing {@code biz_opaque_callback_data},
 * retried until the bot takes them. The customer must get each reply exactly once.
 */
class InDoubtSendIT {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String P = "wabot:{bot}:";

  @TempDir
  Path dir;

  private final Vertx side = Vertx.vertx();
  private final GraphApiSimulator simulator = new GraphApiSimulator(side, TestApps.ACCESS_TOKEN, TestApps.PHONE_NUMBER_ID);
  private StatusReporter reporter;
  private JarProcess bot;
  private Map<String, String> env;

  @BeforeEach
  void start() throws Exception {
    await(simulator.listen("127.0.0.1", 0));
    Path overrides = Files.writeString(dir.resolve("config.json"),
        // A killed process's work returns after 3 s instead of 30 s.
        "{\"queue\": {\"lease\": \"3s\", \"reaperInterval\": \"500ms\"}, \"sender\": {\"inDoubtGrace\": \"30s\"}}");
    env = TestApps.liveEnv(REDIS.url());
    int port = RedisServer.freePort();
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("WHATSAPP_API_BASE_URL", simulator.baseUrl());
    env.put("CONFIG_FILE", overrides.toString());
    reporter = new StatusReporter(side, "http://127.0.0.1:" + port + "/webhook", TestApps.APP_SECRET,
        TestApps.PHONE_NUMBER_ID).attach(simulator);
  }

  @AfterEach
  void stop() throws Exception {
    if (bot != null) {
      bot.stop();
    }
    reporter.close();
    await(simulator.close());
    await(side.close());
  }

  /** The customer's message and the job of the first reply to it, which Meta has taken but not yet answered. */
  private record Window(String wamid, String jobId) {
  }

  /**
   * Starts the bot, has the customer write, and returns once the first reply has reached Meta, which
   * answers it only 3 s later: the window between Meta's acceptance and the bot's record.
   */
  private Window openWindow(String customer, String logName) throws Exception {
    simulator.inject(SimulatedFault.delay(Duration.ofSeconds(3)).forRecipient(customer).times(1));
    bot = JarProcess.startReady(env, dir.resolve(logName));
    String wamid = customerWrites(customer);
    return new Window(wamid, awaitFirstReplyAtMeta(customer));
  }

  private String customerWrites(String customer) throws Exception {
    String wamid = Webhooks.newWamid();
    assertThat(Webhooks.postSigned(bot.port(), Webhooks.text(wamid, customer, "hi")).statusCode()).isEqualTo(200);
    return wamid;
  }

  /** Waits until the first reply to the customer has reached Meta (and not been answered yet); its job id. */
  private String awaitFirstReplyAtMeta(String customer) throws Exception {
    poll("the condition").atMost(Duration.ofSeconds(30)).until(() -> simulator.requests().stream()
        .anyMatch(r -> customer.equals(r.recipient())));
    return simulator.requests().stream().filter(r -> customer.equals(r.recipient())).findFirst().orElseThrow()
        .body().getString("biz_opaque_callback_data");
  }

  /** Waits until no job is left in Redis and Meta's statuses have reached the bot: every reply settled. */
  private void awaitAllDone() throws Exception {
    poll("all replies done; log:%n%s", bot.log()).atMost(Duration.ofSeconds(60)).until(() -> count("outbound:count") == 0 && count("inbound:count") == 0 && reporter.delivered() >= 2);
  }

  private long count(String key) {
    String value = REDIS.server().command("GET", P + key);
    return value == null || value.startsWith("$-1") ? 0 : Long.parseLong(value);
  }

  /** Every reply that reached Meta for the customer (its body without the callback data), with how many times. */
  private Map<String, Long> sendsTo(String customer) {
    return simulator.requests().stream().filter(r -> customer.equals(r.recipient()))
        .map(RecordedRequest::body).filter(Objects::nonNull).map(body -> {
          JsonObject content = body.copy();
          content.remove("biz_opaque_callback_data");
          return content.encode();
        })
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  private String logOrEmpty() {
    try {
      return bot.log();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private void assertEachReplyOnce(String customer, String jobInDoubt) {
    Map<String, Long> sends = sendsTo(customer);
    assertThat(sends.values()).as("each reply reached Meta once: %s", sends).containsOnly(1L);
    assertThat(simulator.accepted().stream().filter(r -> customer.equals(r.recipient()))).hasSize(sends.size());
    assertThat(jobInDoubt).as("the reply in doubt carried its job id; log:%n%s", logOrEmpty()).isNotNull();
  }

  @Test
  @DisplayName("kill -9 between Meta's 200 and its record: after a restart the reply is settled by its status, not sent again")
  void killedAfterMetaAccepted() throws Exception {
    String customer = "4915200000021";
    Window window = openWindow(customer, "first.log");
    bot.kill();

    bot = JarProcess.startReady(env, dir.resolve("second.log"));
    awaitAllDone();
    assertEachReplyOnce(customer, window.jobId());
    String log = bot.log();
    assertThat(log).as("settled as in doubt, or found already settled by the status at its claim")
        .containsAnyOf("\"event\":\"outbound.confirmed\"", "\"event\":\"outbound.already_sent\"");
    assertThat(log).doesNotContain("\"event\":\"outbound.resending\"");
  }

  @Test
  @DisplayName("Redis restarting between Meta's 200 and its record: the reply is settled by its status, not sent again")
  void redisRestartAfterMetaAccepted() throws Exception {
    String customer = "4915200000022";
    Window window = openWindow(customer, "bot.log");
    REDIS.server().stop();
    // Meta's 200 arrives while Redis is down: neither the wamid nor the ack of the reply can be written,
    // and the sender gives up on both, leaving the job to its lease.
    Pattern unwritten = Pattern.compile("\"event\":\"job.outcome_unwritten\".*\"job_id\":\"" + Pattern.quote(window.wamid()) + ":r\\d");
    poll("the reply's outcome could not be written; log:%n%s", bot.log()).atMost(Duration.ofSeconds(30)).until(() -> unwritten.matcher(bot.log()).find());
    REDIS.server().start();

    awaitAllDone();
    assertEachReplyOnce(customer, window.jobId());
    assertThat(bot.log()).doesNotContain("\"event\":\"outbound.resending\"");
  }
}
