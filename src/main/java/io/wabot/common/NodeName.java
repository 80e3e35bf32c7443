package io.wabot.common;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The name this node goes by in logs and in the events it publishes to other nodes: its Hazelcast
 * address ({@code 10.0.0.5:5701}) when clustered, the host name otherwise. Kept per Vert.x instance, so
 * two applications in one JVM (tests) have a name each.
 */
public final class NodeName {

  private static final String MAP = "wabot.node";
  private static final String KEY = "name";

  private NodeName() {
  }

  public static String of(Vertx vertx) {
    Object name = vertx.sharedData().getLocalMap(MAP).get(KEY);
    return name instanceof String s ? s : hostName();
  }

  public static void set(Vertx vertx, String name) {
    vertx.sharedData().getLocalMap(MAP).put(KEY, name);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
