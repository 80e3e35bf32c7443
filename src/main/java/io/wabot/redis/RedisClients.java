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

  /** A pooled client, for ordinary commands. Give blocking commands their own connection instead. */
  public static Redis pooled(Vertx vertx, RedisConfig config) {
    return Redis.createClient(vertx, options(config));
  }
}
