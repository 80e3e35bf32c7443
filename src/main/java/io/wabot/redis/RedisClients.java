package io.wabot.redis;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.wabot.config.RedisConfig;

/** Builds Redis clients from the validated settings, so every component connects the same way. */
public final class RedisClients {

  private RedisClients() {
  }

  public static RedisOptions options(RedisConfig config) {
    return new RedisOptions()
        .setConnectionString(config.url())
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
