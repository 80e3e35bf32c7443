package io.wabot.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A Redis Cluster of three primaries on loopback (no replicas), each a private {@link RedisServer}. */
public final class RedisClusterServers implements AutoCloseable {

  private final List<RedisServer> nodes = new ArrayList<>();

  public RedisClusterServers() {
    for (int i = 0; i < 3; i++) {
      nodes.add(RedisServer.startNew(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
          "--cluster-port", Integer.toString(RedisServer.freePort()), "--cluster-node-timeout", "2000")));
    }
    List<String> create = new ArrayList<>(List.of("--cluster", "create"));
    nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
    create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    try {
      RedisCli.run(nodes.get(0).port(), create.toArray(String[]::new));
      Polling.poll("the Redis Cluster to reach cluster_state:ok").atMost(Duration.ofSeconds(20)).ignoreExceptions()
          .until(() -> nodes.stream().allMatch(n -> RedisCli.run(n.port(), "cluster", "info").contains("cluster_state:ok")));
    } catch (RuntimeException | AssertionError e) {
      close(); // nobody else holds these servers yet
      throw e;
    }
  }

  /** The seed nodes as {@code REDIS_URL} takes them. */
  public String url() {
    return nodes.stream().map(RedisServer::url).collect(Collectors.joining(","));
  }

  public List<RedisServer> nodes() {
    return List.copyOf(nodes);
  }

  /** How many keys each node holds. */
  public List<Long> keysPerNode() {
    return nodes.stream().map(n -> Long.parseLong(RedisCli.run(n.port(), "dbsize"))).toList();
  }

  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
  }
}
