package io.wabot.webhook;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.wabot.config.AppConfig;
import io.wabot.queue.Keyspace;
import io.wabot.queue.ScriptRunner;
import io.wabot.whatsapp.inbound.StatusUpdate;
import io.wabot.whatsapp.inbound.WebhookError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The delivery status of each message the bot sent ({@code status:<wamid>} in Redis), kept for the
 * configured retention. Updates only move forward, atomically, whatever order Meta reports them in.
 */
public final class StatusStore {

  private final Redis redis;
  private final Keyspace keyspace;
  private final ScriptRunner scripts;
  private final long retentionMs;

  public StatusStore(Redis redis, AppConfig config) {
    this.redis = redis;
    this.keyspace = Keyspace.of(config.queue());
    this.scripts = new ScriptRunner(redis, config.redis().commandTimeout());
    this.retentionMs = config.queue().statusRetention().toMillis();
  }

  /** Stores the updates; for each, whether it moved the status forward. */
  public Future<List<Boolean>> record(List<StatusUpdate> updates) {
    if (updates.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<String> args = new ArrayList<>(List.of(keyspace.prefix(), Long.toString(retentionMs)));
    for (StatusUpdate update : updates) {
      args.add(update.wamid());
      args.add(update.status().wireName());
      args.add(Integer.toString(update.status().rank()));
      args.add(Long.toString(update.timestamp().getEpochSecond()));
      args.add(update.recipientId() == null ? "" : update.recipientId());
      args.add(errors(update.errors()).encode());
    }
    return scripts.run("status", keyspace.key("status"), args).map(response -> {
      List<Boolean> changed = new ArrayList<>();
      for (int i = 0; i < response.size(); i++) {
        changed.add(response.get(i).toInteger() == 1);
      }
      return changed;
    });
  }

  /** The stored status of a sent message. */
  public Future<Optional<StatusUpdate.Status>> statusOf(String wamid) {
    return redis.send(Request.cmd(Command.HGET).arg(keyspace.key("status:" + wamid)).arg("status"))
        .map(value -> value == null ? Optional.empty()
            : Optional.of(StatusUpdate.Status.valueOf(value.toString().toUpperCase(java.util.Locale.ROOT))));
  }

  private static JsonArray errors(List<WebhookError> errors) {
    JsonArray array = new JsonArray();
    for (WebhookError e : errors) {
      array.add(new JsonObject().put("code", e.code()).put("title", e.title()).put("details", e.details()));
    }
    return array;
  }
}
