package io.wabot.conversation.consent;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.wabot.config.AppConfig;
import io.wabot.conversation.ConversationWorkerVerticle;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import io.wabot.observability.Mask;
import io.wabot.queue.Commit;
import io.wabot.queue.Keyspace;
import io.wabot.redis.RedisClients;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands consent changes that other components learn about to the {@link ConsentHook}: error 131050
 * from the sender ({@link ConsentEvents#OPT_OUT}) and Meta's {@code user_preferences} webhook
 * ({@link ConsentEvents#PREFERENCE}), both marketing opt-outs or opt-ins. The hook's effects are
 * written to Redis directly (they are idempotent, so hearing an event twice does no harm).
 */
public final class ConsentEventsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ConsentEventsVerticle.class);

  private final AppConfig config;
  private Redis redis;
  private Keyspace keyspace;
  private ConsentHook hook;

  public ConsentEventsVerticle(AppConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    redis = RedisClients.pooled(vertx, config.redis());
    keyspace = Keyspace.of(config.queue());
    hook = ConversationWorkerVerticle.consentHook(redis, keyspace);
    return Future.all(
        vertx.eventBus().<JsonObject>consumer(ConsentEvents.OPT_OUT, this::optOut).completion(),
        vertx.eventBus().<JsonObject>consumer(ConsentEvents.PREFERENCE, this::preference).completion());
  }

  private void optOut(Message<JsonObject> message) {
    JsonObject body = message.body();
    String waId = body == null ? null : body.getString("wa_id");
    if (waId != null) {
      record(new ConsentChange(waId, true, ConsentChange.Scope.MARKETING, ConsentChange.Source.API_ERROR,
          body.getString("reason", "error 131050"), Instant.now()));
    }
  }

  private void preference(Message<JsonObject> message) {
    JsonObject body = message.body();
    String waId = body == null ? null : body.getString("wa_id");
    String value = body == null ? null : body.getString("value");
    if (waId == null || value == null) {
      return;
    }
    boolean stop = "stop".equalsIgnoreCase(value);
    if (!stop && !"resume".equalsIgnoreCase(value)) {
      return;
    }
    Long seconds = body.getLong("timestamp");
    record(new ConsentChange(waId, stop, ConsentChange.Scope.MARKETING, ConsentChange.Source.USER_PREFERENCE,
        body.getString("detail"), seconds == null ? Instant.now() : Instant.ofEpochSecond(seconds)));
  }

  /** Asks the hook, then applies its effects (puts and deletes) in one MULTI/EXEC. */
  Future<Void> record(ConsentChange change) {
    Correlation correlation = new Correlation("", Mask.phone(change.waId()), "");
    return hook.onChange(change).compose(this::apply)
        .onSuccess(v -> Events.info(LOG, change.optedOut() ? "consent.opted_out" : "consent.opted_in", correlation)
            .addKeyValue("scope", change.scope().name()).addKeyValue("source", change.source().name())
            .log("Consent recorded: {} {} ({})", change.optedOut() ? "stop" : "resume", change.scope(), change.source()))
        .onFailure(e -> Events.error(LOG, "consent.record_failed", correlation).setCause(e)
            .log("Could not record a consent change"));
  }

  private Future<Void> apply(Commit effects) {
    List<Request> batch = new ArrayList<>();
    batch.add(Request.cmd(Command.MULTI));
    for (Commit.Effect effect : effects.effects()) {
      if (effect instanceof Commit.Put put) {
        Request set = Request.cmd(Command.SET).arg(keyspace.key(put.key())).arg(put.value());
        batch.add(put.ttl() == null ? set : set.arg("PX").arg(put.ttl().toMillis()));
      } else if (effect instanceof Commit.Delete delete) {
        batch.add(Request.cmd(Command.DEL).arg(keyspace.key(delete.key())));
      } else {
        return Future.failedFuture(new IllegalStateException("a consent hook cannot enqueue jobs from an event: " + effect));
      }
    }
    batch.add(Request.cmd(Command.EXEC));
    return redis.batch(batch).mapEmpty();
  }

  @Override
  public Future<?> stop() {
    if (redis != null) {
      redis.close();
    }
    return Future.succeededFuture();
  }
}
