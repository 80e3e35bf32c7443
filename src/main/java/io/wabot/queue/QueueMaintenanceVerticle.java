package io.wabot.queue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.wabot.config.AppConfig;
import io.wabot.observability.Events;
import io.wabot.observability.MetricNames;
import io.wabot.redis.RedisClients;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the queues healthy: returns the work of dead or stuck consumers and due retries to the ready
 * list (the reaper), samples depth, lag and dead letters for metrics and alerts, and warns at start-up
 * when Redis would lose queued jobs (no AOF) or evict them (an eviction policy).
 *
 * <p>One instance per process; several processes reaping the same queue is harmless, since each
 * reap is one atomic script.
 */
public final class QueueMaintenanceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(QueueMaintenanceVerticle.class);
  private static final String UNKNOWN = "unknown";

  private final AppConfig config;
  private final List<String> queueNames;
  private final List<RedisJobQueue> queues = new ArrayList<>();
  private final List<QueueGauges> gauges = new ArrayList<>();
  private final MeterRegistry registry;
  private Redis redis;

  /** @param registry where the queue gauges (depth, in flight, delayed, dead, lag) are registered */
  public QueueMaintenanceVerticle(AppConfig config, List<String> queueNames, MeterRegistry registry) {
    this.config = config;
    this.queueNames = List.copyOf(queueNames);
    this.registry = registry;
  }

  /** The sampled numbers of one queue, read by the gauges. */
  private record QueueGauges(AtomicLong depth, AtomicLong inFlight, AtomicLong delayed, AtomicLong dead, AtomicLong lag) {

    static QueueGauges register(MeterRegistry registry, String queue) {
      QueueGauges g = new QueueGauges(new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong());
      gauge(registry, MetricNames.QUEUE_DEPTH, queue, g.depth, "Jobs stored and not finished");
      gauge(registry, MetricNames.QUEUE_IN_FLIGHT, queue, g.inFlight, "Conversations leased by a consumer");
      gauge(registry, MetricNames.QUEUE_DELAYED, queue, g.delayed, "Conversations waiting for a retry time");
      gauge(registry, MetricNames.QUEUE_DEAD_LETTERS, queue, g.dead, "Jobs in the dead-letter queue");
      gauge(registry, MetricNames.QUEUE_LAG, queue, g.lag, "Age of the oldest job not yet claimed, ms");
      return g;
    }

    private static void gauge(MeterRegistry registry, String name, String queue, AtomicLong value, String description) {
      Gauge.builder(name, value, AtomicLong::get).tag("queue", queue).description(description).register(registry);
    }

    void update(QueueStats stats) {
      depth.set(stats.waiting());
      inFlight.set(stats.inFlight());
      delayed.set(stats.delayed());
      dead.set(stats.deadLetters());
      lag.set(stats.oldestReadyAgeMs());
    }
  }

  @Override
  public Future<?> start() {
    redis = RedisClients.pooled(vertx, config.redis());
    for (String name : queueNames) {
      queues.add(new RedisJobQueue(vertx, redis, config.queue(), config.redis(), name));
      gauges.add(QueueGauges.register(registry, name));
    }
    vertx.setPeriodic(config.queue().reaperInterval().toMillis(), id -> reap());
    vertx.setPeriodic(0, config.queue().statsInterval().toMillis(), id -> sample());
    checkPersistence();
    return Future.succeededFuture();
  }

  /** One script run for all the queues: the reaper's cost does not grow with their number. */
  private void reap() {
    if (queues.isEmpty()) {
      return;
    }
    queues.get(0).reap(queues).onSuccess(all -> {
      for (int i = 0; i < queues.size(); i++) {
        int expired = all.get(i)[0];
        if (expired > 0) {
          Events.warn(LOG, "queue.leases_expired").addKeyValue("queue", queues.get(i).name()).addKeyValue("conversations", expired)
              .log("Returned the work of {} conversation(s) whose consumer stopped answering", expired);
        }
      }
    });
  }

  private void sample() {
    for (int i = 0; i < queues.size(); i++) {
      QueueGauges g = gauges.get(i);
      queues.get(i).stats().onSuccess(g::update);
    }
  }

  /**
   * Warns when Redis would lose (no AOF) or evict (an eviction policy) queued jobs, then logs what it
   * found either way ({@code redis.persistence_checked}): the line that tells an operator, or a test, that
   * the check ran and why no warning came.
   */
  private void checkPersistence() {
    Future<String> appendonly = redis.send(Request.cmd(Command.INFO).arg("persistence"))
        .map(info -> {
          boolean aof = info.toString().contains("aof_enabled:1");
          if (!aof) {
            Events.warn(LOG, "redis.persistence_warning").addKeyValue("setting", "appendonly")
                .log("Redis runs without AOF persistence: queued jobs are lost if it restarts."
                    + " Set appendonly yes and appendfsync everysec (see docs/operations.md)");
          }
          return aof ? "yes" : "no";
        })
        .otherwise(e -> {
          Events.info(LOG, "redis.persistence_unknown").log("Could not read Redis persistence settings: {}", e.getMessage());
          return UNKNOWN;
        });
    Future<String> evictionPolicy = redis.send(Request.cmd(Command.CONFIG).arg("GET").arg("maxmemory-policy"))
        .map(reply -> {
          String policy = policy(reply);
          if (policy != null && !policy.equals("noeviction")) {
            Events.warn(LOG, "redis.persistence_warning").addKeyValue("setting", "maxmemory-policy")
                .addKeyValue("value", policy)
                .log("Redis may evict keys (maxmemory-policy {}): queued jobs could vanish. Set maxmemory-policy noeviction",
                    policy);
          }
          return policy == null ? UNKNOWN : policy;
        })
        .otherwise(e -> {
          Events.info(LOG, "redis.persistence_unknown")
              .log("Could not read maxmemory-policy (CONFIG may be disabled on managed Redis): {}", e.getMessage());
          return UNKNOWN;
        });
    Future.all(appendonly, evictionPolicy).onComplete(done -> Events.info(LOG, "redis.persistence_checked")
        .addKeyValue("appendonly", appendonly.result()).addKeyValue("maxmemory_policy", evictionPolicy.result())
        .log("Redis settings checked: appendonly {}, maxmemory-policy {}", appendonly.result(), evictionPolicy.result()));
  }

  private static String policy(Response reply) {
    if (reply == null) {
      return null;
    }
    // RESP3 answers a map, RESP2 a flat [name, value] array.
    try {
      Response value = reply.get("maxmemory-policy");
      if (value != null) {
        return value.toString();
      }
    } catch (RuntimeException notAMap) {
      // fall through to the array form
    }
    return reply.size() >= 2 ? reply.get(1).toString() : null;
  }

  @Override
  public Future<?> stop() {
    if (redis != null) {
      redis.close();
    }
    return Future.succeededFuture();
  }
}
