package io.wabot.queue;

import static io.wabot.testing.Futures.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.observability.Correlation;
import io.wabot.observability.Metrics;
import io.wabot.redis.RedisClients;
import io.wabot.testing.TestApps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Queues and consumers on a test Redis, with settings fast enough for tests. */
final class QueueHarness implements AutoCloseable {

  static final JsonObject FAST = new JsonObject().put("queue", new JsonObject()
      .put("lease", "2s").put("pollInterval", "200ms").put("reaperInterval", "100ms")
      .put("backoffInitial", "20ms").put("backoffMax", "200ms").put("maxAttempts", 3).put("statsInterval", "100ms"))
      .put("redis", new JsonObject().put("retryInitial", "20ms").put("retryMax", "300ms").put("commandTimeout", "1s"))
      .put("shutdown", new JsonObject().put("timeout", "2s"));

  final AppConfig config;
  final List<Vertx> instances = new ArrayList<>();

  QueueHarness(String redisUrl) {
    this(redisUrl, FAST);
  }

  QueueHarness(String redisUrl, JsonObject overrides) {
    this.config = TestApps.config(TestApps.liveEnv(redisUrl), overrides);
  }

  /** A new Vert.x instance, standing for one process. */
  Vertx process() {
    Vertx vertx = Vertx.vertx();
    instances.add(vertx);
    return vertx;
  }

  RedisJobQueue queue(Vertx vertx, String name) {
    Redis redis = RedisClients.pooled(vertx, config.redis());
    return new RedisJobQueue(vertx, redis, config.queue(), config.redis(), name);
  }

  /** Starts a consumer on its own event-loop context, as a verticle would. */
  QueueConsumer consumer(Vertx vertx, String queueName, JobHandler handler, int concurrency) {
    io.vertx.core.Context context = vertx.getOrCreateContext();
    io.vertx.core.Promise<QueueConsumer> started = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      QueueConsumer consumer = new QueueConsumer(vertx, config, queue(vertx, queueName), handler, concurrency,
          Metrics.registry(vertx));
      consumer.start().map(consumer).onComplete(started);
    });
    return await(started.future());
  }

  /** Runs the reaper and the stats sampler, as every process does. */
  void maintenance(Vertx vertx) {
    await(vertx.deployVerticle(new QueueMaintenanceVerticle(config, List.of(Queues.INBOUND, Queues.OUTBOUND),
        Metrics.registry(vertx))));
  }

  static NewJob job(String id, String conversation) {
    return NewJob.of(id, conversation, Correlation.ofInbound(id, conversation), new JsonObject().put("n", id));
  }

  static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  @Override
  public void close() {
    for (Vertx vertx : instances) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // already closed
      }
    }
  }

  static Map<String, String> none() {
    return Map.of();
  }
}
