package io.wabot.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Clustering ({@code CLUSTER=true}): Vert.x's event bus spans every node through Hazelcast. Redis holds
 * all durable state whether clustered or not; the cluster only carries signals (new work, pauses,
 * breaker changes, the sandbox page).
 *
 * <p>Without {@code configFile} the Hazelcast configuration is built from these settings: TCP/IP
 * discovery of {@code members}, never multicast. With it, the file decides the network (members,
 * interfaces, ports, Kubernetes discovery) and {@code members}, {@code host} and {@code port} are not
 * used.
 *
 * @param enabled      start Vert.x clustered
 * @param name         the Hazelcast cluster name: nodes join only a cluster of the same name, so two
 *                     bots (tenants) on the same hosts stay apart
 * @param members      where to look for other nodes, {@code host} or {@code host:port}; a host without a
 *                     port is tried on ports 5701-5703
 * @param host         the IP address this node binds and advertises (a pod IP, a private address)
 * @param port         Hazelcast's port; the next free one is taken when it is in use (a second node on
 *                     one machine gets 5702)
 * @param eventBusPort the event bus's TCP port; 0 picks a free one
 * @param configFile   a Hazelcast XML or YAML file that replaces the settings above, or null
 */
public record ClusterConfig(boolean enabled, String name, List<String> members, String host, int port, int eventBusPort,
    Path configFile) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern MEMBER = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(:\\d{1,5})?");
  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

  public ClusterConfig {
    members = List.copyOf(members);
  }

  static ClusterConfig from(ConfigReader r) {
    boolean enabled = r.bool("cluster.enabled", false);
    String name = r.string("cluster.name", "\"whatsapp-chatbot\"");
    if (name != null && !NAME.matcher(name).matches()) {
      r.problem("cluster.name", "must be 1 to 64 letters, digits, '.', '_' or '-'", "\"whatsapp-chatbot\"");
    }
    List<String> members = members(r);
    String host = r.string("cluster.host", "\"127.0.0.1\"");
    if (host != null && !IPV4.matcher(host).matches() && !IPV6.matcher(host).matches()) {
      r.problem("cluster.host", "must be an IP address of this machine (Hazelcast binds and advertises it), got \""
          + host + "\"", "\"10.0.0.5\"");
    }
    int port = r.integer("cluster.port", 1, 65_535, 5701);
    int eventBusPort = r.integer("cluster.eventBusPort", 0, 65_535, 0);
    Path configFile = configFile(r);
    if (enabled && configFile == null && members.isEmpty()) {
      r.problem("cluster.members", "is empty; list at least one node to join (this one's own address will do for"
          + " the first node), or set CLUSTER_CONFIG", "[\"10.0.0.5\", \"10.0.0.6:5701\"]");
    }
    return new ClusterConfig(enabled, name, members, host, port, eventBusPort, configFile);
  }

  private static List<String> members(ConfigReader r) {
    List<String> members = new ArrayList<>();
    for (Object entry : r.array("cluster.members")) {
      String member = String.valueOf(entry).trim();
      if (!MEMBER.matcher(member).matches() || !portInRange(member)) {
        r.problem("cluster.members", "has \"" + member + "\", which is not host or host:port", "\"10.0.0.5,10.0.0.6:5702\"");
      } else if (!member.isEmpty()) {
        members.add(member);
      }
    }
    return members;
  }

  private static boolean portInRange(String member) {
    int colon = member.lastIndexOf(':');
    if (colon < 0 || member.endsWith("]")) {
      return true;
    }
    int port = Integer.parseInt(member.substring(colon + 1));
    return port >= 1 && port <= 65_535;
  }

  private static Path configFile(ConfigReader r) {
    String value = r.optionalString("cluster.config");
    if (value == null) {
      return null;
    }
    Path path = Path.of(value);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      r.problem("cluster.config", "names \"" + value + "\", which is not a readable file", "/etc/whatsapp-chatbot/cluster.xml");
      return null;
    }
    String lower = value.toLowerCase(java.util.Locale.ROOT);
    if (!lower.endsWith(".xml") && !lower.endsWith(".yaml") && !lower.endsWith(".yml")) {
      r.problem("cluster.config", "must be a Hazelcast .xml, .yaml or .yml file, got \"" + value + "\"",
          "conf/cluster-kubernetes.xml");
      return null;
    }
    return path;
  }

  /** True when the Hazelcast configuration comes from {@link #configFile} rather than these settings. */
  public boolean fromFile() {
    return configFile != null;
  }
}
