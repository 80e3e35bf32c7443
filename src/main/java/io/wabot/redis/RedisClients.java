package io.wabot.redis;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import io.wabot.config.RedisConfig;

/** Builds Redis clients from the validated settings, so every component connects the same way. */
public final class RedisClients {

  private RedisClients() {
  }

  /**
   * The client options for the configured deployment. Whatever the mode, every command goes to the
   * primary: the bot reads what it has just written (a conversation's state, a job's lease), which a
   * replica could answer stale.
   */
  public static RedisOptions options(RedisConfig config) {
    RedisOptions options = new RedisOptions().setEndpoints(config.endpoints());
    switch (config.mode()) {
      case STANDALONE -> options.setType(RedisClientType.STANDALONE);
      // Every new connection asks the sentinels for the primary. On a failover the demoted primary closes
      // its clients' connections, so the pool reconnects and finds the new one (RedisDeploymentsTest).
      // The client's own auto-failover is left off: in 5.0.7 it fails pooled connections on close.
      case SENTINEL -> options.setType(RedisClientType.SENTINEL).setMasterName(config.masterName())
          .setRole(RedisRole.MASTER);
      case CLUSTER -> options.setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER);
    }
    return options
        .setMaxPoolSize(config.poolSize())
        .setMaxPoolWaiting(config.maxPoolWaiting())
        .setMaxWaitingHandlers(config.maxPoolWaiting() * 4)
        .setNetClientOptions(new NetClientOptions()
            .setConnectTimeout((int) config.connectTimeout().toMillis())
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true));
  }

  /**
   * A pooled client for ordinary commands, each failing after {@code redis.commandTimeout}. Give
   * blocking commands a connection of their own instead ({@link #dedicated}).
   */
  public static Redis pooled(Vertx vertx, RedisConfig config) {
    return new TimedRedis(Redis.createClient(vertx, options(config)), config.commandTimeout());
  }

  /** A client with one connection, for a blocking command (which holds its connection) or a private probe. */
  public static Redis dedicated(Vertx vertx, RedisConfig config) {
    return Redis.createClient(vertx, options(config).setMaxPoolSize(1).setMaxPoolWaiting(4));
  }
}
