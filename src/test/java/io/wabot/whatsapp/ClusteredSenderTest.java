package io.wabot.whatsapp;

import static io.wabot.testing.Futures.await;
import static io.wabot.testing.TestApps.eventually;
import static io.wabot.whatsapp.SenderFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.Application;
import io.wabot.queue.NewJob;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.sandbox.SimulatedFault;
import io.wabot.testing.ClusterNodes;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sender on two clustered nodes: what one node meets at the Graph API, the other knows. */
class ClusteredSenderTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  private final ClusterNodes nodes = new ClusterNodes(2);
  private final List<Application> apps = new ArrayList<>();
  private Vertx side;
  private GraphApiSimulator simulator;
  private Redis redis;

  @BeforeEach
  void simulator() {
    side = Vertx.vertx();
    simulator = new GraphApiSimulator(side, TestApps.ACCESS_TOKEN, TestApps.PHONE_NUMBER_ID);
    await(simulator.listen("127.0.0.1", 0));
    redis = Redis.createClient(side, REDIS.url());
  }

  @AfterEach
  void stop() {
    apps.forEach(TestApps::stop);
    redis.close();
    await(simulator.close());
    await(side.close());
  }

  private Application start(int i, String graphUrl) {
    Map<String, String> env = nodes.env(i, TestApps.liveEnv(REDIS.url()));
    env.put("WHATSAPP_API_BASE_URL", graphUrl);
    Application app = TestApps.start(TestApps.config(env, SenderFixture.FAST.copy()
        // A request slower than its timeout may still be accepted, and then sent again: keep the
        // simulator's slow answers below it so that every send counts once.
        .mergeIn(new JsonObject("{\"queue\": {\"maxAttempts\": 50}, \"sender\": {\"requestTimeout\": \"5s\"}}"), true)));
    apps.add(app);
    return app;
  }

  private void enqueue(List<NewJob> jobs) {
    RedisJobQueue outbound = new RedisJobQueue(side, redis, apps.get(0).config().queue(), apps.get(0).config().redis(),
        Queues.OUTBOUND);
    await(outbound.enqueue(jobs));
  }

  @Test
  @DisplayName("a 130429 met by one node pauses the sender of the other at once, and the pause is honoured in Redis")
  void pauseReachesEveryNode() throws Exception {
    Application first = start(0, simulator.baseUrl());
    Application second = start(1, simulator.baseUrl());
    simulator.inject(SimulatedFault.throughputLimit(Duration.ofSeconds(3)).times(1));

    enqueue(List.of(text("4915100000001", "first")));

    assertThat(eventually(Duration.ofSeconds(5), () -> simulator.requests().size() == 1)).isTrue();
    assertThat(eventually(Duration.ofSeconds(1), () -> SenderStatus.pausedForMs(first.vertx()) > 1_000
        && SenderStatus.pausedForMs(second.vertx()) > 1_000)).as("both nodes paused within a second").isTrue();
    enqueue(List.of(text("4915100000002", "second")));
    Thread.sleep(1_000);
    assertThat(simulator.requests()).as("nothing sent while paused, from either node").hasSize(1);

    assertThat(eventually(Duration.ofSeconds(10), () -> simulator.accepted().size() == 2)).isTrue();
  }

  @Test
  @DisplayName("a breaker opening on one node is known to the other, which keeps sending through its own")
  void breakerKnownToPeers() throws Exception {
    // The first node cannot reach the Graph API (its network is at fault); the second can, slowly at first,
    // so that the first node gets its share of the jobs and fails them.
    Application broken = start(0, "http://127.0.0.1:9");
    Application healthy = start(1, simulator.baseUrl());
    simulator.inject(SimulatedFault.delay(Duration.ofSeconds(2)).forPeriod(Duration.ofSeconds(3)));

    enqueue(IntStream.range(0, 60).mapToObj(i -> text("49151%08d".formatted(i), "m-" + i)).toList());

    assertThat(eventually(Duration.ofSeconds(10), () -> SenderStatus.breakerState(broken.vertx()) != CircuitBreakerState.CLOSED))
        .isTrue();
    assertThat(eventually(Duration.ofSeconds(5), () -> SenderStatus.peersOpen(healthy.vertx()) == 1
        || SenderStatus.toJson(healthy.vertx()).containsKey("peers"))).isTrue();
    JsonObject graph = io.wabot.cluster.ClusterTest.check(healthy, "graph-api");
    assertThat(graph.getString("status")).isEqualTo("UP");
    assertThat(graph.getJsonObject("data").getString("breaker")).as("its own breaker").isEqualTo("CLOSED");
    assertThat(graph.getJsonObject("data").getJsonObject("peers").fieldNames())
        .singleElement().satisfies(peer -> assertThat(peer).startsWith(nodes.member(0) + "/sender-"));

    assertThat(eventually(Duration.ofSeconds(40), () -> simulator.accepted().size() >= 60))
        .as("every reply sent, by the node that can").isTrue();
    assertThat(simulator.accepted()).hasSize(60);
  }
}
