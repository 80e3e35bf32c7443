package io.wabot.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A primary, one replica and one sentinel watching them as {@value #MASTER_NAME}, all on loopback. */
public final class RedisSentinelServers implements AutoCloseable {

  public static final String MASTER_NAME = "mymaster";

  private final RedisServer primary;
  private final RedisServer replica;
  private final Path dir;
  private final int sentinelPort = RedisServer.freePort();
  private final Process sentinel;

  public RedisSentinelServers() {
    primary = RedisServer.startNew();
    replica = RedisServer.startNew(List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port())));
    try {
      dir = Files.createTempDirectory("redis-sentinel-");
      Path conf = Files.writeString(dir.resolve("sentinel.conf"), String.join("\n",
          "port " + sentinelPort, "bind 127.0.0.1", "dir " + dir,
          "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + primary.port() + " 1",
          "sentinel down-after-milliseconds " + MASTER_NAME + " 2000",
          "sentinel failover-timeout " + MASTER_NAME + " 10000", ""));
      sentinel = new ProcessBuilder("redis-server", conf.toString(), "--sentinel").redirectErrorStream(true)
          .redirectOutput(dir.resolve("sentinel.log").toFile()).start();
    } catch (IOException e) {
      replica.close();
      primary.close();
      throw new UncheckedIOException(e);
    }
    try {
      await(() -> RedisCli.run(primary.port(), "info", "replication").contains("connected_slaves:1")
          && RedisCli.run(sentinelPort, "sentinel", "replicas", MASTER_NAME).contains(Integer.toString(replica.port())),
          "the sentinel to see the primary and its replica");
    } catch (RuntimeException | AssertionError e) {
      close(); // nobody else holds these servers yet
      throw e;
    }
  }

  /** The sentinel as {@code REDIS_URL} takes it. */
  public String url() {
    return "redis://127.0.0.1:" + sentinelPort;
  }

  public RedisServer primary() {
    return primary;
  }

  public RedisServer replica() {
    return replica;
  }

  /** The port of the server the sentinel names as primary now. */
  public int primaryPort() {
    String[] address = RedisCli.run(sentinelPort, "sentinel", "get-master-addr-by-name", MASTER_NAME).split("\\s+");
    return Integer.parseInt(address[address.length - 1]);
  }

  /**
   * Promotes the replica, as the sentinel does when the primary fails, and waits until the old primary
   * follows it. (Until then the old primary still takes writes that its demotion then discards: Redis
   * replication is asynchronous, a caveat of every Sentinel set-up that docs/scaling.md states.)
   */
  public void failover() {
    // The sentinel refuses a failover while it has no fresh word of a replica it could promote
    // (NOGOODSLAVE: it polls the replicas' INFO every few seconds): asked again until it accepts.
    await(() -> {
      String answer = RedisCli.run(sentinelPort, "sentinel", "failover", MASTER_NAME);
      return answer.equals("OK") || answer.contains("INPROG");
    }, "the sentinel to accept the failover");
    await(() -> primaryPort() == replica.port() && RedisCli.run(replica.port(), "role").startsWith("master")
        && RedisCli.run(primary.port(), "info", "replication").contains("master_link_status:up"),
        "the replica to become the primary and the old primary to follow it");
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition, String what) {
    Polling.poll(what).atMost(Duration.ofSeconds(30)).ignoreExceptions().until(condition);
  }

  @Override
  public void close() {
    sentinel.destroyForcibly();
    try {
      sentinel.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    replica.close();
    primary.close();
    File[] files = dir.toFile().listFiles();
    if (files != null) {
      for (File f : files) {
        f.delete();
      }
    }
    dir.toFile().delete();
  }
}
