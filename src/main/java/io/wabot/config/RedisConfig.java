package io.wabot.config;

import java.time.Duration;
import java.util.Set;

/**
 * The Redis connection.
 *
 * @param url               {@code redis://[:password@]host:port[/db]}, {@code rediss://} for TLS
 * @param poolSize          pooled connections per verticle instance (blocking consumers have their own)
 * @param maxPoolWaiting    requests that may wait for a pooled connection before failing fast
 * @param connectTimeout    how long to wait for a TCP connection
 * @param commandTimeout    how long any single command may take before it counts as failed
 * @param retryInitial      first wait before a consumer reconnects or retries after a Redis failure
 * @param retryMax          longest such wait (it doubles up to this)
 * @param breakerMaxFailures failed stores in a row after which the webhook stops asking Redis and
 *                          answers 503 at once (Meta delivers again later)
 * @param breakerOpenFor    how long it answers 503 before trying Redis again
 */
public record RedisConfig(String url, int poolSize, int maxPoolWaiting, Duration connectTimeout, Duration commandTimeout,
    Duration retryInitial, Duration retryMax, int breakerMaxFailures, Duration breakerOpenFor) {

  static RedisConfig from(ConfigReader r) {
    return new RedisConfig(
        r.url("redis.url", Set.of("redis", "rediss", "unix"), "redis://localhost:6379"),
        r.integer("redis.poolSize", 1, 256, 8),
        r.integer("redis.maxPoolWaiting", 1, 100_000, 256),
        r.duration("redis.connectTimeout", Duration.ofMillis(100), Duration.ofMinutes(1), "2s"),
        r.duration("redis.commandTimeout", Duration.ofMillis(100), Duration.ofMinutes(1), "2s"),
        r.duration("redis.retryInitial", Duration.ofMillis(10), Duration.ofMinutes(1), "100ms"),
        r.duration("redis.retryMax", Duration.ofMillis(100), Duration.ofMinutes(5), "5s"),
        r.integer("redis.breaker.maxFailures", 1, 1000, 5),
        r.duration("redis.breaker.openFor", Duration.ofMillis(100), Duration.ofMinutes(5), "5s"));
  }
}
