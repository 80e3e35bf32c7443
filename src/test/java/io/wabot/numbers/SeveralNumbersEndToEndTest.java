package io.wabot.numbers;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.common.SignatureVerifier;
import io.wabot.queue.QueueConsumer;
import io.wabot.sandbox.AcceptedMessage;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.sandbox.SimulatedFault;
import io.wabot.testing.CustomerKeys;
import io.wabot.testing.Futures;
import io.wabot.testing.Http;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.testing.WaitableList;
import io.wabot.testing.Webhooks;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole service with several business numbers of two Meta apps: signed webhooks in, the real queues, the
 * conversation and the sender, Meta's side played by the Graph API simulator that takes each number's token on
 * that number's path only. Every part of issue 19 at once: routing, isolation of failures, reload under traffic.
 */
class SeveralNumbersEndToEndTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String SALES = "201000000000001";
  static final String SUPPORT = "202000000000002";
  static final String BILLING = "203000000000003";
  static final String SECRET_X = "secret-of-app-x";
  static final String SECRET_Y = "secret-of-app-y";
  static final String ADMIN_TOKEN = "admin-token-for-numbers-001";
  static final String P = "wabot:{bot}:";

  final Map<String, String> tokens = new ConcurrentHashMap<>(Map.of(SALES, "EAAG-token-of-sales", SUPPORT, "EAAG-token-of-support",
      BILLING, "EAAG-token-of-billing"));
  final WaitableList<AcceptedMessage> accepted = new WaitableList<>();
  Vertx graphVertx;
  GraphApiSimulator graph;
  Path file;
  Application app;

  static JsonObject number(String id, String name, String token, String secret) {
    return new JsonObject().put("phoneNumberId", id).put("name", name).put("accessToken", token).put("appSecret", secret);
  }

  JsonArray salesAndSupport() {
    return new JsonArray().add(number(SALES, "Sales", tokens.get(SALES), SECRET_X))
        .add(number(SUPPORT, "Support", tokens.get(SUPPORT), SECRET_Y)
            .put("conversation", new JsonObject().put("businessName", "Acme Support")));
  }

  @BeforeEach
  void start() throws Exception {
    graphVertx = Vertx.vertx();
    graph = new GraphApiSimulator(graphVertx, () -> Map.copyOf(tokens));
    graph.onAccepted(accepted::add);
    Futures.await(graph.listen("127.0.0.1", 0));
    file = Files.createTempFile("numbers", ".json");
    writeNumbers(salesAndSupport());
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    List.of("WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_APP_SECRET", "WHATSAPP_ACCESS_TOKEN").forEach(env::remove);
    env.put("WHATSAPP_API_BASE_URL", graph.baseUrl());
    env.put("CONFIG_FILE", file.toString());
    env.put("ADMIN_TOKEN", ADMIN_TOKEN);
    app = new Application(TestApps.config(env, config(salesAndSupport()))).reloadingFrom(env);
    Futures.await(app.start(), Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() throws Exception {
    TestApps.stop(app);
    Futures.await(graph.close());
    Futures.await(graphVertx.close());
    Files.deleteIfExists(file);
  }

  static JsonObject config(JsonArray numbers) {
    return new JsonObject().put("whatsapp", new JsonObject().put("numbers", numbers))
        .put("queue", new JsonObject().put("pollInterval", "200ms").put("reaperInterval", "100ms")
            .put("backoffInitial", "50ms").put("backoffMax", "200ms"));
  }

  void writeNumbers(JsonArray numbers) throws Exception {
    Files.writeString(file, config(numbers).encodePrettily());
  }

  HttpResponse<String> say(String number, String secret, String customer, String text) throws Exception {
    String body = Webhooks.envelope(Webhooks.change(number, new JsonArray().add(Webhooks.textMessage(Webhooks.newWamid(), customer, text)),
        null)).encode();
    return Webhooks.post(app.httpPort(), body, new SignatureVerifier(secret).sign(Buffer.buffer(body)));
  }

  /** The replies (not read receipts) accepted for {@code customer} from {@code number}. */
  List<AcceptedMessage> replies(String number, String customer) {
    return accepted.snapshot().stream().filter(m -> !m.isReadReceipt() && number.equals(m.number()) && customer.equals(m.recipient()))
        .toList();
  }

  AcceptedMessage awaitReply(String number, String customer, int nth) {
    accepted.awaitCount(m -> !m.isReadReceipt() && number.equals(m.number()) && customer.equals(m.recipient()), nth,
        Duration.ofSeconds(30));
    return replies(number, customer).get(nth - 1);
  }

  HttpResponse<String> reload() throws Exception {
    return Http.call(app.httpPort(), "POST", "/admin/config/reload", null, "Authorization", "Bearer " + ADMIN_TOKEN);
  }

  @Test
  @DisplayName("one customer writes to two numbers of two apps: each answers from itself, with its token and its copy, in two conversations")
  void eachNumberAnswersFromItself() throws Exception {
    String customer = "16505550101";
    assertThat(say(SALES, SECRET_X, customer, "hi").statusCode()).isEqualTo(200);
    assertThat(say(SUPPORT, SECRET_Y, customer, "hi").statusCode()).isEqualTo(200);

    assertThat(awaitReply(SALES, customer, 1).body().encode()).contains("Acme Electronics").doesNotContain("Acme Support");
    assertThat(awaitReply(SUPPORT, customer, 1).body().encode()).contains("Acme Support");
    // The simulator refuses a number's path with another number's token: every request was the right one.
    assertThat(graph.requests()).allSatisfy(r -> assertThat(r.accepted()).as(r.toString()).isTrue());
    String salesKey = CustomerKeys.keyOf(REDIS.server(), P, SALES, customer);
    String supportKey = CustomerKeys.keyOf(REDIS.server(), P, SUPPORT, customer);
    assertThat(salesKey).isNotNull().isNotEqualTo(supportKey);
    assertThat(supportKey).isNotNull();
  }

  @Test
  @DisplayName("Support's token expires and Sales is rate-limited: Support's replies are dead letters with an alert, Sales answers once its pause ends, nothing crosses over")
  void oneNumbersTroubleNeverHoldsTheOther() throws Exception {
    graph.inject(SimulatedFault.tokenExpired().forNumber(SUPPORT));
    String first = "16505550201";
    String second = "16505550202";
    try (LogCapture queue = LogCapture.of(QueueConsumer.class)) {
      assertThat(say(SUPPORT, SECRET_Y, first, "hi").statusCode()).isEqualTo(200);
      assertThat(say(SALES, SECRET_X, first, "hi").statusCode()).isEqualTo(200);
      awaitReply(SALES, first, 1);
      ILoggingEvent dead = queue.awaitMatching(e -> "job.dead_lettered".equals(LogCapture.value(e, "event"))
          && String.valueOf(LogCapture.value(e, "reason")).contains("access token of number Support"));
      assertThat(String.valueOf(LogCapture.value(dead, "reason"))).doesNotContain(tokens.get(SUPPORT));
    }
    assertThat(replies(SUPPORT, first)).isEmpty();

    // Sales is told to slow down for as long as the fault stands; Support (its token fixed) keeps answering.
    graph.clearFaults();
    graph.inject(SimulatedFault.throughputLimit(Duration.ofSeconds(1)).forNumber(SALES));
    assertThat(say(SALES, SECRET_X, second, "hi").statusCode()).isEqualTo(200);
    poll("Sales refused by its limit").atMost(Duration.ofSeconds(30))
        .until(() -> graph.requests().stream().anyMatch(r -> !r.accepted() && SALES.equals(r.number())));
    assertThat(say(SUPPORT, SECRET_Y, second, "hi").statusCode()).isEqualTo(200);
    awaitReply(SUPPORT, second, 1);
    assertThat(replies(SALES, second)).as("Sales still held by its limit while Support answered").isEmpty();

    graph.clearFaults(); // Meta lets Sales send again: its reply goes out after its pause, once
    awaitReply(SALES, second, 1);
    assertThat(replies(SALES, second)).hasSize(1);
    assertThat(graph.requests()).filteredOn(r -> SUPPORT.equals(r.number()) && second.equals(r.recipient()))
        .allSatisfy(r -> assertThat(r.accepted()).isTrue());
  }

  @Test
  @DisplayName("a reload adds a number and removes it while Sales answers a steady stream: every Sales message answered once, in order")
  void reloadUnderTraffic() throws Exception {
    int customers = 4;
    int messages = 4;
    ExecutorService traffic = Executors.newFixedThreadPool(customers);
    List<CompletableFuture<Void>> streams = new ArrayList<>();
    try {
      for (int c = 0; c < customers; c++) {
        String customer = "1650555030" + c;
        streams.add(CompletableFuture.runAsync(() -> {
          for (int i = 1; i <= messages; i++) {
            try {
              assertThat(say(SALES, SECRET_X, customer, "hi").statusCode()).isEqualTo(200);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            awaitReply(SALES, customer, i); // closed loop: the next message once this one is answered
          }
        }, traffic));
      }

      writeNumbers(salesAndSupport().add(number(BILLING, "Billing", tokens.get(BILLING), SECRET_X)));
      HttpResponse<String> added = reload();
      assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
      assertThat(new JsonObject(added.body()).getJsonArray("added")).containsExactly("Billing");
      String billingCustomer = "16505550399";
      assertThat(say(BILLING, SECRET_X, billingCustomer, "hi").statusCode()).isEqualTo(200);
      assertThat(awaitReply(BILLING, billingCustomer, 1).body().encode()).contains("Acme Electronics");

      writeNumbers(salesAndSupport());
      HttpResponse<String> removed = reload();
      assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
      assertThat(new JsonObject(removed.body()).getJsonArray("removed")).containsExactly("Billing");
      String late = Webhooks.newWamid();
      String body = Webhooks.envelope(Webhooks.change(BILLING, new JsonArray().add(Webhooks.textMessage(late, billingCustomer, "hi")),
          null)).encode();
      assertThat(Webhooks.post(app.httpPort(), body, new SignatureVerifier(SECRET_X).sign(Buffer.buffer(body))).statusCode())
          .as("a webhook for a number no longer served is still answered 200").isEqualTo(200);
      assertThat(REDIS.server().command("EXISTS", P + "inbound:job:" + late)).contains("0");

      CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).get(90, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      traffic.shutdownNow();
    }
    // A last message through Sales: once answered, the sender has drained what came before it on every stream.
    String sentinel = "16505550398";
    assertThat(say(SALES, SECRET_X, sentinel, "hi").statusCode()).isEqualTo(200);
    awaitReply(SALES, sentinel, 1);
    for (int c = 0; c < customers; c++) {
      assertThat(replies(SALES, "1650555030" + c)).as("customer %d: one reply per message", c).hasSize(messages);
    }
    assertThat(replies(BILLING, "16505550399")).hasSize(1);
    assertThat(graph.requests()).allSatisfy(r -> assertThat(r.accepted()).as(r.toString()).isTrue());
  }

}
