package io.wabot.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis client whose every command fails after {@code redis.commandTimeout} instead of waiting
 * forever on a half-open connection: the one place the setting is applied, so no caller can forget it.
 * Blocking commands (BLPOP) need a dedicated {@link #connect() connection}, which is not timed here.
 */
final class TimedRedis implements Redis {

  private final Redis delegate;
  private final long timeoutMs;

  TimedRedis(Redis delegate, Duration timeout) {
    this.delegate = delegate;
    this.timeoutMs = timeout.toMillis();
  }

  @Override
  public Future<RedisConnection> connect() {
    return delegate.connect().timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<Response> send(Request command) {
    return delegate.send(command).timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return delegate.batch(commands).timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }
}
