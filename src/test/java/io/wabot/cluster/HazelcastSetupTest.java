package io.wabot.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.json.JsonObject;
import io.wabot.config.ClusterConfig;
import io.wabot.config.ConfigLoaderAccess;
import io.wabot.testing.TestApps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HazelcastSetupTest {

  private static ClusterConfig cluster(Map<String, String> extra) {
    Map<String, String> env = TestApps.liveEnv("redis://localhost:6379");
    env.put("CLUSTER", "true");
    env.putAll(extra);
    return ConfigLoaderAccess.build(env, new JsonObject()).config().cluster();
  }

  @Test
  @DisplayName("built from the settings: TCP/IP discovery of the members list, never multicast, on the cluster host")
  void programmatic() {
    Config config = HazelcastSetup.config(cluster(Map.of("CLUSTER_MEMBERS", "10.0.0.5,10.0.0.6:5702",
        "CLUSTER_HOST", "10.0.0.5", "CLUSTER_PORT", "5801", "CLUSTER_NAME", "acme-bot")), Duration.ofSeconds(10));

    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.5", "10.0.0.6:5702");
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.0.0.5");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(config.getClusterName()).isEqualTo("acme-bot");
    assertThat(config.getMultiMapConfigs()).containsKey("__vertx.subs");
    assertThat(HazelcastSetup.eventBus(cluster(Map.of("CLUSTER_HOST", "10.0.0.5"))).getHost()).isEqualTo("10.0.0.5");
  }

  @Test
  @DisplayName("whatever the source, Hazelcast does not phone home, logs through SLF4J and leaves within the shutdown budget")
  void quiet() {
    Config config = HazelcastSetup.config(cluster(Map.of()), Duration.ofSeconds(10));

    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
    assertThat(config.getProperty("hazelcast.shutdownhook.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.graceful.shutdown.max.wait")).isEqualTo("5");
    assertThat(config.getMetricsConfig().isEnabled()).isFalse();
  }

  @Test
  @DisplayName("the documented Kubernetes file loads: DNS discovery through the headless service, no multicast")
  void kubernetesFile() {
    ClusterConfig cluster = cluster(Map.of("CLUSTER_CONFIG", Path.of("conf/cluster-kubernetes.xml").toString()));
    Config config = HazelcastSetup.config(cluster, Duration.ofSeconds(10));

    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).endsWith(".svc.cluster.local");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getMultiMapConfigs()).containsKey("__vertx.subs");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(HazelcastSetup.eventBus(cluster).getHost()).as("left to the address Hazelcast picks").isNull();
  }
}
