package io.wabot.observability;

import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;

/**
 * {@code GET /health/live} answers 200 while the process runs; {@code GET /health/ready} answers 200
 * when every readiness check passes and 503 naming the failing checks otherwise.
 *
 * <p>Redis is checked here; other components add their checks with {@link #register}.
 */
public final class HealthRoutes {

  private final HealthChecks readiness;
  private final long timeoutMs;

  public HealthRoutes(Vertx vertx, Redis redis, Duration checkTimeout) {
    this.readiness = HealthChecks.create(vertx);
    this.timeoutMs = checkTimeout.toMillis();
    register("redis", promise -> redis.send(Request.cmd(Command.PING))
        .onSuccess(pong -> promise.complete(Status.OK()))
        .onFailure(e -> promise.complete(Status.KO(new JsonObject().put("error", describe(e))))));
  }

  /** Adds a readiness check; it fails when its procedure fails or takes longer than the check timeout. */
  public HealthRoutes register(String name, Handler<Promise<Status>> procedure) {
    readiness.register(name, timeoutMs, procedure);
    return this;
  }

  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
