package io.wabot.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Settings for several clustered nodes on loopback, as an operator would start them: each its own
 * Hazelcast port, all listing each other. The cluster gets a name of its own, so a test never joins
 * another test's cluster (or anything else listening on Hazelcast's default ports on this machine).
 */
public final class ClusterNodes {

  private final String name = "wabot-test-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Integer> ports = new ArrayList<>();

  public ClusterNodes(int nodes) {
    for (int i = 0; i < nodes; i++) {
      ports.add(RedisServer.freePort());
    }
  }

  public String name() {
    return name;
  }

  /** Node {@code i}'s Hazelcast address, {@code 127.0.0.1:<port>}: how the members name it. */
  public String member(int i) {
    return "127.0.0.1:" + ports.get(i);
  }

  /** The environment that makes node {@code i} of these join the others. */
  public Map<String, String> env(int i) {
    Map<String, String> env = new HashMap<>();
    env.put("CLUSTER", "true");
    env.put("CLUSTER_NAME", name);
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_PORT", Integer.toString(ports.get(i)));
    env.put("CLUSTER_MEMBERS", ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
    return env;
  }

  /** {@code base} with node {@code i}'s cluster settings added. */
  public Map<String, String> env(int i, Map<String, String> base) {
    Map<String, String> env = new HashMap<>(base);
    env.putAll(env(i));
    return env;
  }
}
