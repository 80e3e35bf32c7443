package io.wabot.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.wabot.config.ClusterConfig;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/**
 * The Hazelcast configuration behind {@code CLUSTER=true}: TCP/IP discovery of a members list (never
 * multicast, which would let any bot on the network join), or a file that replaces it (Kubernetes
 * discovery and anything else Hazelcast offers), plus the settings every node needs whatever the file
 * says: no phone-home, logs through SLF4J, no shutdown hook of its own, a leave that fits the shutdown
 * budget.
 */
public final class HazelcastSetup {

  /** Hazelcast reads its logging type from a system property before any configuration is applied. */
  private static final String LOGGING_TYPE = "hazelcast.logging.type";

  /**
   * Applied unless a configuration file sets them. Phone-home is Hazelcast's usage report to its
   * vendor; the shutdown hook would tear the cluster down while the service is still finishing its jobs
   * on SIGTERM (the service leaves the cluster itself, last); failure detection is tightened from 60 s so
   * that a hung node's event-bus registrations go away sooner (a crashed node's go at once: its
   * connections close).
   */
  private static final Map<String, String> QUIET = Map.of(
      "hazelcast.phone.home.enabled", "false",
      LOGGING_TYPE, "slf4j",
      "hazelcast.shutdownhook.enabled", "false",
      "hazelcast.health.monitoring.level", "OFF",
      "hazelcast.heartbeat.interval.seconds", "2",
      "hazelcast.max.no.heartbeat.seconds", "20",
      // A node that finds no other member forms a cluster of its own after this, instead of 5 s.
      "hazelcast.wait.seconds.before.join", "1");

  private HazelcastSetup() {
  }

  /** A cluster manager for these settings; {@code shutdownBudget} bounds how long leaving may take. */
  public static HazelcastClusterManager clusterManager(ClusterConfig cluster, Duration shutdownBudget) {
    System.setProperty(LOGGING_TYPE, System.getProperty(LOGGING_TYPE, "slf4j"));
    System.setProperty("hazelcast.phone.home.enabled", System.getProperty("hazelcast.phone.home.enabled", "false"));
    return new HazelcastClusterManager(config(cluster, shutdownBudget));
  }

  static Config config(ClusterConfig cluster, Duration shutdownBudget) {
    Config config = cluster.fromFile() ? load(cluster) : programmatic(cluster);
    QUIET.forEach((name, value) -> {
      if (config.getProperty(name) == null) {
        config.setProperty(name, value);
      }
    });
    if (config.getProperty("hazelcast.graceful.shutdown.max.wait") == null) {
      config.setProperty("hazelcast.graceful.shutdown.max.wait",
          Long.toString(Math.max(1, shutdownBudget.toSeconds() / 2)));
    }
    return config;
  }

  /** The event bus listens on the cluster host; with a configuration file, on the address Hazelcast chose. */
  public static EventBusOptions eventBus(ClusterConfig cluster) {
    EventBusOptions options = new EventBusOptions().setPort(cluster.eventBusPort());
    return cluster.fromFile() ? options : options.setHost(cluster.host());
  }

  private static Config load(ClusterConfig cluster) {
    try {
      return Config.loadFromFile(cluster.configFile().toFile());
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Config programmatic(ClusterConfig cluster) {
    Config config = new Config().setClusterName(cluster.name());
    // Vert.x's own structures, as in vertx-hazelcast's default-cluster.xml: event-bus subscriptions and
    // node information survive the loss of one member.
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    // The bot keeps nothing in Hazelcast but these; its own metrics would cost CPU and memory for nothing.
    config.getMetricsConfig().setEnabled(false);
    config.getJetConfig().setEnabled(false);

    NetworkConfig network = config.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(true);
    network.getInterfaces().setEnabled(true).addInterface(cluster.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members()).setConnectionTimeoutSeconds(2);
    return config;
  }
}
