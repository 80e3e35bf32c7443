package io.wabot.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Redis connection.
 *
 * <p>Every key the bot writes carries the hash tag of {@code queue.keyPrefix}, so in a Redis Cluster the
 * whole bot lives in one slot, on one primary: a cluster spreads several bots (different prefixes), not
 * one bot's keys. Sentinel gives one bot a primary that fails over.
 *
 * @param url               one endpoint, {@code redis://[:password@]host:port[/db]} ({@code rediss://} for
 *                          TLS); for {@code sentinel} and {@code cluster} a comma-separated list of
 *                          endpoints (the sentinels; the cluster's seed nodes)
 * @param mode              standalone, sentinel or cluster
 * @param masterName        the primary's name as the sentinels know it ({@code sentinel} mode only)
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
public record RedisConfig(String url, Mode mode, String masterName, int poolSize, int maxPoolWaiting,
    Duration connectTimeout, Duration commandTimeout, Duration retryInitial, Duration retryMax, int breakerMaxFailures,
    Duration breakerOpenFor) {

  /** How the Redis deployment is reached. */
  public enum Mode {
    /** One server (or a managed endpoint that hides its failover behind one address). */
    STANDALONE,
    /** Sentinels that name the current primary; the client follows a failover. */
    SENTINEL,
    /** A Redis Cluster; the bot's keys all live in the slot of its hash tag. */
    CLUSTER
  }

  static RedisConfig from(ConfigReader r) {
    String modeName = r.oneOf("redis.mode", Set.of("standalone", "sentinel", "cluster"), "\"sentinel\"");
    Mode mode = modeName == null ? Mode.STANDALONE : Mode.valueOf(modeName.toUpperCase(Locale.ROOT));
    List<String> endpoints = endpoints(r, mode);
    String masterName = r.optionalString("redis.masterName");
    if (mode == Mode.STANDALONE && endpoints.size() > 1) {
      r.problem("redis.url", "lists " + endpoints.size() + " endpoints, but redis.mode is standalone; set REDIS_MODE=sentinel"
          + " or REDIS_MODE=cluster, or give one URL", "redis://localhost:6379");
    }
    if (mode == Mode.SENTINEL && masterName == null) {
      r.problem("redis.masterName", "is missing; sentinel mode needs the name the sentinels give the primary", "\"mymaster\"");
    }
    return new RedisConfig(
        String.join(",", endpoints),
        mode,
        masterName,
        r.integer("redis.poolSize", 1, 256, 8),
        r.integer("redis.maxPoolWaiting", 1, 100_000, 256),
        r.duration("redis.connectTimeout", Duration.ofMillis(100), Duration.ofMinutes(1), "2s"),
        r.duration("redis.commandTimeout", Duration.ofMillis(100), Duration.ofMinutes(1), "2s"),
        r.duration("redis.retryInitial", Duration.ofMillis(10), Duration.ofMinutes(1), "100ms"),
        r.duration("redis.retryMax", Duration.ofMillis(100), Duration.ofMinutes(5), "5s"),
        r.integer("redis.breaker.maxFailures", 1, 1000, 5),
        r.duration("redis.breaker.openFor", Duration.ofMillis(100), Duration.ofMinutes(5), "5s"));
  }

  /** Each endpoint of {@code redis.url} checked as the client will read it; a bad one is one problem line. */
  private static List<String> endpoints(ConfigReader r, Mode mode) {
    String value = r.string("redis.url", "\"redis://localhost:6379\"");
    List<String> endpoints = new ArrayList<>();
    if (value == null) {
      return endpoints;
    }
    String[] parts = value.split(",");
    for (int i = 0; i < parts.length; i++) {
      String endpoint = parts[i].trim();
      String problem = endpoint.isEmpty() ? "is empty" : RedisUrls.problem(endpoint, mode);
      if (problem == null) {
        endpoints.add(endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint);
      } else {
        r.problem("redis.url", (parts.length > 1 ? "endpoint " + (i + 1) + " of " + parts.length + " " : "") + problem, "");
      }
    }
    return endpoints;
  }

  /** The endpoints of {@link #url}: one in standalone mode, the sentinels or the seed nodes otherwise. */
  public List<String> endpoints() {
    return url == null || url.isEmpty() ? List.of() : Arrays.asList(url.split(","));
  }
}
