package io.wabot.redis;

import static io.wabot.testing.Futures.await;
import static io.wabot.testing.TestApps.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.testing.RedisClusterServers;
import io.wabot.testing.RedisSentinelServers;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The whole bot on Redis beyond one server: a Redis Cluster, and a primary behind a sentinel that fails over. */
class RedisDeploymentsTest {

  private Vertx side;
  private GraphApiSimulator simulator;
  private Application app;
  private AutoCloseable redis;

  @BeforeEach
  void simulator() {
    side = Vertx.vertx();
    simulator = new GraphApiSimulator(side, TestApps.ACCESS_TOKEN, TestApps.PHONE_NUMBER_ID);
    await(simulator.listen("127.0.0.1", 0));
  }

  @AfterEach
  void stop() throws Exception {
    TestApps.stop(app); // before Redis goes away, so that nothing reconnects in vain
    if (redis != null) {
      redis.close();
    }
    await(simulator.close());
    await(side.close());
  }

  private Application start(Map<String, String> redis) {
    Map<String, String> env = TestApps.liveEnv("redis://unused:6379");
    env.put("WHATSAPP_API_BASE_URL", simulator.baseUrl());
    env.putAll(redis);
    app = TestApps.start(TestApps.config(env, new JsonObject()));
    return app;
  }

  /** A customer writes; true once the bot's reply (not just the read receipt) reached the Graph API. */
  private boolean answered(String customer) throws Exception {
    int before = replies(customer);
    assertThat(Webhooks.postSigned(app.httpPort(), Webhooks.text(Webhooks.newWamid(), customer, "hi")).statusCode())
        .isEqualTo(200);
    return eventually(Duration.ofSeconds(20), () -> replies(customer) > before);
  }

  private int replies(String customer) {
    return (int) simulator.accepted().stream().filter(r -> customer.equals(r.recipient()))
        .map(RecordedRequest::kind).filter(kind -> !"read".equals(kind)).count();
  }

  @Test
  @DisplayName("on a Redis Cluster the bot answers, with all its keys in its hash tag's slot on one node")
  void redisCluster() throws Exception {
    RedisClusterServers cluster = new RedisClusterServers();
    redis = cluster;
    start(Map.of("REDIS_MODE", "cluster", "REDIS_URL", cluster.url()));

    assertThat(Webhooks.get(app.httpPort(), "/health/ready").statusCode()).isEqualTo(200);
    assertThat(answered("4915300000001")).isTrue();
    assertThat(answered("4915300000002")).isTrue();

    assertThat(cluster.keysPerNode()).as("keys per node").filteredOn(n -> n > 0).hasSize(1);
  }

  @Test
  @DisplayName("behind a sentinel the bot finds the primary, and after a failover it writes to the new one")
  void sentinelFailover() throws Exception {
    RedisSentinelServers sentinel = new RedisSentinelServers();
    redis = sentinel;
    start(Map.of("REDIS_MODE", "sentinel", "REDIS_MASTER_NAME", RedisSentinelServers.MASTER_NAME,
        "REDIS_URL", sentinel.url()));
    assertThat(answered("4915300000003")).isTrue();

    sentinel.failover();

    assertThat(answered("4915300000004")).as("answered through the new primary").isTrue();
    assertThat(eventually(Duration.ofSeconds(10), () -> Webhooks.get(app.httpPort(), "/health/ready").statusCode() == 200))
        .isTrue();
    assertThat(sentinel.replica().command("DBSIZE")).as("the promoted replica holds the bot's keys").isNotEqualTo(":0");
  }
}
