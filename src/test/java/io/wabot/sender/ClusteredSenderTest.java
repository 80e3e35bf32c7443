package io.wabot.sender;

import static io.wabot.sender.SenderFixture.text;
import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.Application;
import io.wabot.observability.Correlation;
import io.wabot.queue.NewJob;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.sandbox.SimulatedFault;
import io.wabot.testing.ClusterNodes;
import io.wabot.testing.Http;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.SimulatedGraphApi;
import io.wabot.testing.TestApps;
import io.wabot.whatsapp.outbound.OutboundJob;
import io.wabot.whatsapp.outbound.OutboundJobs;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sender on two clustered nodes: what one node meets at the Graph API, the other knows. */
class ClusteredSenderTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  @RegisterExtension
  final SimulatedGraphApi graph = new SimulatedGraphApi();

  private final ClusterNodes nodes = new ClusterNodes(2);
  private final List<Application> apps = new ArrayList<>();
  private Redis redis;
  private RedisJobQueue outbound;

  @AfterEach
  void stop() {
    apps.forEach(TestApps::stop);
    if (redis != null) {
      redis.close();
    }
  }

  private GraphApiSimulator simulator() {
    return graph.simulator();
  }

  private Application start(int i, String graphUrl) {
    return start(i, graphUrl, new JsonObject());
  }

  private Application start(int i, String graphUrl, JsonObject overrides) {
    Map<String, String> env = nodes.env(i, TestApps.liveEnv(REDIS.url()));
    env.put("WHATSAPP_API_BASE_URL", graphUrl);
    if (overrides.containsKey("whatsapp")) {
      env.remove("WHATSAPP_PHONE_NUMBER_ID"); // the numbers are listed
    }
    Application app = TestApps.start(TestApps.config(env, SenderFixture.FAST.copy().mergeIn(overrides, true)
        // A request slower than its timeout may still be accepted, and then sent again: keep the
        // simulator's slow answers below it so that every send counts once.
        .mergeIn(new JsonObject("{\"queue\": {\"maxAttempts\": 50}, \"sender\": {\"requestTimeout\": \"5s\"}}"), true)));
    apps.add(app);
    return app;
  }

  private void enqueue(List<NewJob> jobs) {
    if (outbound == null) {
      redis = Redis.createClient(graph.vertx(), REDIS.url());
      outbound = new RedisJobQueue(graph.vertx(), redis, apps.get(0).config().queue(), apps.get(0).config().redis(),
          Queues.OUTBOUND);
    }
    await(outbound.enqueue(jobs));
  }

  /** Once the outbound queue holds no job, nothing more can be sent: counts taken then are final. */
  private void awaitOutboundDrained() {
    poll("the outbound queue to drain").until(() -> await(outbound.stats()).waiting() == 0);
  }

  @Test
  @DisplayName("a 130429 met by one node pauses the sender of the other at once, and the pause is honoured in Redis")
  void pauseReachesEveryNode() {
    Application first = start(0, graph.baseUrl());
    Application second = start(1, graph.baseUrl());
    simulator().inject(SimulatedFault.throughputLimit(Duration.ofSeconds(3)).times(1));

    enqueue(List.of(text("4915100000001", "first")));

    await(simulator().awaitRequests(1), Duration.ofSeconds(5));
    poll("both nodes paused").atMost(Duration.ofSeconds(1))
        .until(() -> SenderStatus.pausedForMs(first.vertx()) > 1_000 && SenderStatus.pausedForMs(second.vertx()) > 1_000);
    // Read before the pauses: neither node's pause ends before this instant.
    long now = System.currentTimeMillis();
    Instant pauseOver = Instant.ofEpochMilli(now + Math.min(SenderStatus.pausedForMs(first.vertx()),
        SenderStatus.pausedForMs(second.vertx())));
    enqueue(List.of(text("4915100000002", "second")));

    await(simulator().awaitAccepted(2), Duration.ofSeconds(10));
    awaitOutboundDrained();
    List<RecordedRequest> requests = simulator().requests();
    assertThat(requests).hasSize(3);
    assertThat(requests.subList(1, requests.size())).as("nothing sent while paused, from either node")
        .allSatisfy(r -> assertThat(r.arrivedAt()).isAfterOrEqualTo(pauseOver));
  }

  @Test
  @DisplayName("two numbers: a 130429 on Sales met by one node pauses Sales on the other at once, and only Sales")
  void pauseOfOneNumberReachesEveryNode() throws Exception {
    JsonObject numbers = new JsonObject().put("whatsapp", new JsonObject().put("numbers", new JsonArray()
        .add(new JsonObject().put("phoneNumberId", TestApps.PHONE_NUMBER_ID).put("name", "Sales"))
        .add(new JsonObject().put("phoneNumberId", "222222222222222").put("name", "Support"))));
    Application first = start(0, graph.baseUrl(), numbers);
    Application second = start(1, graph.baseUrl(), numbers);
    simulator().inject(SimulatedFault.throughputLimit(Duration.ofSeconds(3)).times(1));

    String customer = "4915100000001";
    enqueue(List.of(OutboundJobs.job("sales-1:r0", "c_" + customer, Correlation.ofInbound("sales-1", customer),
        new OutboundJob.Message(OutboundMessage.text(customer, "sales-1").toJson(), "c_" + customer, customer, "en",
            System.currentTimeMillis(), false, null, TestApps.PHONE_NUMBER_ID))));

    await(simulator().awaitRequests(1), Duration.ofSeconds(5));
    poll("Sales paused on both nodes").atMost(Duration.ofSeconds(1)).until(() ->
        SenderStatus.pausedForMs(first.vertx(), "Sales") > 1_000 && SenderStatus.pausedForMs(second.vertx(), "Sales") > 1_000);
    assertThat(SenderStatus.pausedForMs(first.vertx(), "Support")).isZero();
    assertThat(SenderStatus.pausedForMs(second.vertx(), "Support")).isZero();
    JsonObject check = Http.readinessCheck(second.httpPort(), "graph-api");
    assertThat(check.getJsonObject("data").getJsonArray("degraded").getList()).containsExactly("Sales");

    await(simulator().awaitAccepted(1), Duration.ofSeconds(10)); // sent once the pause is over
    awaitOutboundDrained();
  }

  @Test
  @DisplayName("a breaker opening on one node is known to the other, which keeps sending through its own")
  void breakerKnownToPeers() throws Exception {
    try (LogCapture peerLog = LogCapture.of(PeerBreakers.class)) {
      // The first node cannot reach the Graph API (its network is at fault); the second can, slowly at first,
      // so that the first node gets its share of the jobs and fails them.
      Application broken = start(0, "http://127.0.0.1:9");
      Application healthy = start(1, graph.baseUrl());
      simulator().inject(SimulatedFault.delay(Duration.ofSeconds(2)).forPeriod(Duration.ofSeconds(3)));

      enqueue(IntStream.range(0, 60).mapToObj(i -> text("49151%08d".formatted(i), "m-" + i)).toList());

      // Logged by the healthy node once it has recorded the other's breaker.
      assertThat(LogCapture.value(peerLog.await("sender.peer_breaker_opened"), "node")).isEqualTo(nodes.member(0));
      assertThat(SenderStatus.breakerState(broken.vertx())).isNotEqualTo(CircuitBreakerState.CLOSED);
      assertThat(SenderStatus.toJson(healthy.vertx()).containsKey("peers")).as("the healthy node lists its peer").isTrue();
      JsonObject graphCheck = Http.readinessCheck(healthy.httpPort(), "graph-api");
      assertThat(graphCheck.getString("status")).isEqualTo("UP");
      assertThat(graphCheck.getJsonObject("data").getString("breaker")).as("its own breaker").isEqualTo("CLOSED");
      assertThat(graphCheck.getJsonObject("data").getJsonObject("peers").fieldNames())
          .singleElement().satisfies(peer -> assertThat(peer).startsWith(nodes.member(0) + "/sender-"));

      await(simulator().awaitAccepted(60), Duration.ofSeconds(40)); // every reply sent, by the node that can
      awaitOutboundDrained();
      assertThat(simulator().accepted()).hasSize(60);
    }
  }
}
