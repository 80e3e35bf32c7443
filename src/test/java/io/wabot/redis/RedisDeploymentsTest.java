package io.wabot.redis;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.testing.RedisClusterServers;
import io.wabot.testing.RedisSentinelServers;
import io.wabot.testing.SimulatedGraphApi;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole bot on Redis beyond one server: a Redis Cluster, and a primary behind a sentinel that fails over. */
class RedisDeploymentsTest {

  @RegisterExtension
  final SimulatedGraphApi graph = new SimulatedGraphApi();

  private Application app;
  private AutoCloseable redis;

  @AfterEach
  void stop() throws Exception {
    TestApps.stop(app); // before Redis goes away, so that nothing reconnects in vain
    if (redis != null) {
      redis.close();
    }
  }

  private Application start(Map<String, String> redis) {
    Map<String, String> env = TestApps.liveEnv("redis://unused:6379");
    env.put("WHATSAPP_API_BASE_URL", graph.baseUrl());
    env.putAll(redis);
    app = TestApps.start(TestApps.config(env, new JsonObject()));
    return app;
  }

  /** A customer writes; returns once the bot's reply (not just the read receipt) has reached the Graph API. */
  private void assertAnswered(String customer) throws Exception {
    assertThat(Webhooks.postSigned(app.httpPort(), Webhooks.text(Webhooks.newWamid(), customer, "hi")).statusCode())
        .isEqualTo(200);
    graph.accepted().awaitCount(m -> customer.equals(m.recipient()) && !m.isReadReceipt(), 1, Duration.ofSeconds(20));
  }

  @Test
  @DisplayName("on a Redis Cluster the bot answers, with all its keys in its hash tag's slot on one node")
  void redisCluster() throws Exception {
    RedisClusterServers cluster = new RedisClusterServers();
    redis = cluster;
    start(Map.of("REDIS_MODE", "cluster", "REDIS_URL", cluster.url()));

    assertThat(Webhooks.get(app.httpPort(), "/health/ready").statusCode()).isEqualTo(200);
    assertAnswered("4915300000001");
    assertAnswered("4915300000002");

    assertThat(cluster.keysPerNode()).as("keys per node").filteredOn(n -> n > 0).hasSize(1);
  }

  @Test
  @DisplayName("behind a sentinel the bot finds the primary, and after a failover it writes to the new one")
  void sentinelFailover() throws Exception {
    RedisSentinelServers sentinel = new RedisSentinelServers();
    redis = sentinel;
    start(Map.of("REDIS_MODE", "sentinel", "REDIS_MASTER_NAME", RedisSentinelServers.MASTER_NAME,
        "REDIS_URL", sentinel.url()));
    assertAnswered("4915300000003");

    sentinel.failover();

    assertAnswered("4915300000004"); // through the new primary
    poll("readiness back up").until(() -> Webhooks.get(app.httpPort(), "/health/ready").statusCode() == 200);
    assertThat(sentinel.replica().command("DBSIZE")).as("the promoted replica holds the bot's keys").isNotEqualTo(":0");
  }
}
