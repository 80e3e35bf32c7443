package io.wabot.sender;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a sender waits for Meta's word on a send whose result was never recorded.
 *
 * <p>Every message goes out with its outbound job's id in {@code biz_opaque_callback_data}, which Meta
 * echoes in the status webhooks of that message ({@code sent}, {@code delivered}, {@code read},
 * {@code failed}). When such a status arrives while the job is still stored without a result, the webhook
 * writes the wamid into the job (see {@code StatusStore}) and publishes the job's id on
 * {@link #SETTLED_ADDRESS}. A sender holding a job in doubt waits here for that signal, at most
 * {@code sender.inDoubtGrace}; either way it then reads the job's result from Redis, which is what
 * decides: the signal only saves waiting (and, clustered, it comes from whichever node took the webhook).
 *
 * <p>Event-loop confined: one per sender instance, created and used on its context.
 */
public final class InDoubtSends {

  /** Published (clustered: to every node) with {@code {"jobId"}} when a status proved an outbound job sent. */
  public static final String SETTLED_ADDRESS = "wabot.outbound.settled";

  private final Vertx vertx;
  private final Duration grace;
  private final Map<String, Promise<Void>> waiting = new HashMap<>();
  private MessageConsumer<JsonObject> consumer;

  public InDoubtSends(Vertx vertx, Duration grace) {
    this.vertx = vertx;
    this.grace = grace;
  }

  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(SETTLED_ADDRESS, message -> {
      Promise<Void> waiter = waiting.remove(message.body().getString("jobId"));
      if (waiter != null) {
        waiter.tryComplete();
      }
    });
    return consumer.completion();
  }

  /** Tells every sender that a status proved this job's message sent. */
  public static void settled(Vertx vertx, String jobId) {
    vertx.eventBus().publish(SETTLED_ADDRESS, new JsonObject().put("jobId", jobId));
  }

  public Duration grace() {
    return grace;
  }

  /** Completes when a status for the job arrives or the grace period is over, whichever is first. */
  public Future<Void> awaitStatus(String jobId) {
    Promise<Void> promise = Promise.promise();
    Promise<Void> earlier = waiting.put(jobId, promise);
    if (earlier != null) {
      earlier.tryComplete();
    }
    long timer = vertx.setTimer(Math.max(1, grace.toMillis()), id -> {
      waiting.remove(jobId, promise);
      promise.tryComplete();
    });
    return promise.future().onComplete(done -> vertx.cancelTimer(timer));
  }

  public Future<Void> close() {
    waiting.values().forEach(Promise::tryComplete);
    waiting.clear();
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
