package io.wabot.webhook;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.wabot.config.AppConfig;
import io.wabot.queue.Keyspace;
import io.wabot.queue.ScriptRunner;
import io.wabot.whatsapp.inbound.StatusUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The delivery status of each message the bot sent ({@code status:<wamid>} in Redis: status, time,
 * and Meta's error code when it failed; no phone number), kept for {@code queue.statusRetention}.
 * Updates only move forward, atomically, whatever order Meta reports them in, which is also what
 * lets repeated and late reports be recognised and ignored.
 *
 * <p>A status carrying a {@code biz_opaque_callback_data} (the outbound job's id, which the sender puts
 * in every message) also settles that job if it is still waiting without a result: see
 * {@code whatsapp.InDoubtSends}.
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

  /**
   * What storing a batch of statuses did.
   *
   * @param changed for each update, whether it moved the stored status forward
   * @param settled ids of outbound jobs still waiting with no recorded result that a status proved sent
   *                (its {@code biz_opaque_callback_data}): the wamid is now their result
   */
  public record Recorded(List<Boolean> changed, List<String> settled) {
  }

  /** Stores the updates, and settles the outbound jobs they prove sent. */
  public Future<Recorded> record(List<StatusUpdate> updates) {
    if (updates.isEmpty()) {
      return Future.succeededFuture(new Recorded(List.of(), List.of()));
    }
    List<String> args = new ArrayList<>(List.of(keyspace.prefix(), Long.toString(retentionMs)));
    for (StatusUpdate update : updates) {
      args.add(update.wamid());
      args.add(update.status().wireName());
      args.add(Integer.toString(update.status().rank()));
      args.add(Long.toString(update.timestamp().getEpochSecond()));
      args.add(update.errors().isEmpty() ? "" : Integer.toString(update.errors().get(0).code()));
      args.add(update.callbackData() == null ? "" : update.callbackData());
    }
    return scripts.run("status", keyspace.key("status"), args).map(response -> {
      List<Boolean> changed = new ArrayList<>();
      for (Response flag : response.get(0)) {
        changed.add(flag.toInteger() == 1);
      }
      List<String> settled = new ArrayList<>();
      for (Response id : response.get(1)) {
        settled.add(id.toString());
      }
      return new Recorded(changed, settled);
    });
  }

  /** The stored status of a sent message: {@code {"wamid", "status", "at" (epoch seconds), "errorCode"}}. */
  public Future<Optional<JsonObject>> statusOf(String wamid) {
    return redis.send(Request.cmd(Command.HGETALL).arg(keyspace.key("status:" + wamid))).map(fields -> {
      String status = field(fields, "status");
      if (status == null) {
        return Optional.empty();
      }
      JsonObject json = new JsonObject().put("wamid", wamid).put("status", status)
          .put("at", Long.parseLong(field(fields, "ts")));
      String code = field(fields, "code");
      if (code != null && !code.isEmpty()) {
        json.put("errorCode", Integer.parseInt(code));
      }
      return Optional.of(json);
    });
  }

  private static String field(Response fields, String name) {
    if (fields == null) {
      return null;
    }
    Response value = fields.get(name);
    return value == null ? null : value.toString();
  }
}
