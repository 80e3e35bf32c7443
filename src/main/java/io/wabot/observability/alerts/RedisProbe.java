package io.wabot.observability.alerts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.wabot.observability.Alerts;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Pings Redis with its own client (so a pool exhausted by the workers cannot hide an outage, nor the
 * probe add to it) and counts consecutive failures: Redis is unavailable after {@code failuresToAlert}
 * of them, and available again after one answer.
 */
final class RedisProbe {

  private final Redis redis;
  private final long timeoutMs;
  private final int failuresToAlert;
  private int consecutiveFailures;
  private String lastError = "";

  RedisProbe(Redis redis, Duration timeout, int failuresToAlert) {
    this.redis = redis;
    this.timeoutMs = timeout.toMillis();
    this.failuresToAlert = failuresToAlert;
  }

  String alert() {
    return Alerts.REDIS_UNAVAILABLE;
  }

  Future<Check> ping() {
    return redis.send(Request.cmd(Command.PING))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .<Check>map(pong -> {
          consecutiveFailures = 0;
          return new Check.Clear("Redis answers again");
        })
        .otherwise(e -> {
          consecutiveFailures++;
          lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
          if (consecutiveFailures < failuresToAlert) {
            return Check.UNKNOWN;
          }
          return new Check.Firing("Redis has not answered " + consecutiveFailures + " pings in a row: " + lastError,
              new JsonObject().put("failed_pings", consecutiveFailures).put("error", lastError));
        });
  }

  /** Healthy unless the last {@code failuresToAlert} pings failed: one lost ping is not an outage. */
  boolean healthy() {
    return consecutiveFailures < failuresToAlert;
  }
}
