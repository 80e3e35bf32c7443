package io.wabot.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.testing.ClusterNodes;
import io.wabot.testing.Http;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two clustered nodes in one JVM on loopback, sharing one Redis: membership as operators see it. */
class ClusterTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  private final ClusterNodes nodes = new ClusterNodes(2);
  private final List<Application> apps = new ArrayList<>();

  @AfterEach
  void stop() {
    apps.forEach(TestApps::stop);
  }

  private Application start(int i) {
    long started = System.nanoTime();
    Application app = TestApps.start(TestApps.config(nodes.env(i, TestApps.liveEnv(REDIS.url())), new JsonObject()));
    System.out.printf("cluster node %d started (joined) in %d ms%n", i, (System.nanoTime() - started) / 1_000_000);
    apps.add(app);
    return app;
  }

  static JsonObject check(Application app, String id) throws Exception {
    return Http.readinessCheck(app.httpPort(), id);
  }

  static String metric(Application app, String name) throws Exception {
    return Webhooks.get(app.httpPort(), "/metrics").body().lines().filter(l -> l.startsWith(name + " ")).findFirst()
        .orElse("");
  }

  @Test
  @DisplayName("two nodes see each other: readiness lists both members, metrics count them, and one that leaves is dropped")
  void membership() throws Exception {
    Application first = start(0);
    Application second = start(1);

    for (Application app : List.of(first, second)) {
      JsonObject cluster = check(app, "cluster");
      assertThat(cluster.getString("status")).isEqualTo("UP");
      assertThat(cluster.getJsonObject("data").getJsonArray("members"))
          .isEqualTo(new JsonArray().add(nodes.member(0)).add(nodes.member(1)));
      assertThat(metric(app, "wabot_cluster_members")).isEqualTo("wabot_cluster_members 2.0");
    }
    assertThat(check(second, "cluster").getJsonObject("data").getString("self")).isEqualTo(nodes.member(1));
    assertThat(first.cluster()).hasValueSatisfying(c -> assertThat(c.self()).isEqualTo(nodes.member(0)));

    try (LogCapture membership = LogCapture.of(ClusterMembership.class)) {
      TestApps.stop(second);
      apps.remove(second);
      // Hazelcast tells its listeners once the member list no longer holds the one that left.
      membership.awaitMatching(e -> "cluster.member_left".equals(LogCapture.value(e, "event"))
          && nodes.member(1).equals(LogCapture.value(e, "member")));
    }
    assertThat(check(first, "cluster").getJsonObject("data").getJsonArray("members"))
        .isEqualTo(new JsonArray().add(nodes.member(0)));
    assertThat(metric(first, "wabot_cluster_members")).isEqualTo("wabot_cluster_members 1.0");
    assertThat(check(first, "cluster").getString("status")).as("a cluster of one is still a cluster").isEqualTo("UP");
  }

  @Test
  @DisplayName("not clustered, there is no cluster check and no member gauge")
  void standalone() throws Exception {
    Application app = TestApps.start(TestApps.liveConfig(REDIS.url()));
    apps.add(app);

    JsonObject ready = new JsonObject(Webhooks.get(app.httpPort(), "/health/ready").body());
    assertThat(ready.getJsonArray("checks").stream().map(c -> ((JsonObject) c).getString("id"))).doesNotContain("cluster");
    assertThat(metric(app, "wabot_cluster_members")).isEmpty();
    assertThat(app.cluster()).isEmpty();
  }
}
