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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The delivery status of each message the bot sent (status, time, Meta's error code when it failed, and
 * its pricing; no phone number), kept for {@code queue.statusRetention} after its last change: a field of
 * about 40 bytes in a hash per day and shard ({@code status:<day>:<shard>}, see {@code common.lua}), not a
 * key per message, which cost about 200 bytes and entries in Redis's key and expiry tables.
 * Updates only move forward, atomically, whatever order Meta reports them in, which is also what
 * lets repeated and late reports be recognised and ignored.
 *
 * <p>A status carrying a {@code biz_opaque_callback_data} (the outbound job's id, which the sender puts
 * in every message) also settles that job if it is still waiting without a result: see
 * {@code sender.InDoubtSends}.
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
   * @param priced  for each update, whether it was the first report of its message to carry pricing (so
   *                each message is counted once in {@code wabot_messages_priced_total})
   */
  public record Recorded(List<Boolean> changed, List<String> settled, List<Boolean> priced) {

    public Recorded(List<Boolean> changed, List<String> settled) {
      this(changed, settled, changed.stream().map(c -> false).toList());
    }
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
      StatusUpdate.Pricing pricing = update.pricing();
      args.add(pricing == null ? "" : pricing.category());
      args.add(pricing != null && pricing.billable() ? "1" : "0");
      args.add(pricing == null || pricing.pricingModel() == null ? "" : pricing.pricingModel());
      args.add(pricing == null || pricing.conversationId() == null ? "" : pricing.conversationId());
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
      List<Boolean> priced = new ArrayList<>();
      for (Response flag : response.get(2)) {
        priced.add(flag.toInteger() == 1);
      }
      return new Recorded(changed, settled, priced);
    });
  }

  /**
   * What Meta priced, per category since the store began: {@code {"categories": {"marketing": {"messages",
   * "billable", "conversations" (estimated, ±1 %), "billablePerConversation"}}}}. Multiply by Meta's rate
   * card for your customers' countries to get the cost.
   */
  public Future<JsonObject> pricing() {
    return redis.send(Request.cmd(Command.HGETALL).arg(keyspace.key("pricing:totals"))).compose(totals -> {
      Map<String, JsonObject> categories = new TreeMap<>();
      if (totals != null) {
        for (String field : totals.getKeys()) {
          int colon = field.lastIndexOf(':');
          categories.computeIfAbsent(field.substring(0, colon), c -> new JsonObject().put("messages", 0L).put("billable", 0L))
              .put(field.substring(colon + 1), totals.get(field).toLong());
        }
      }
      List<Future<Void>> counts = new ArrayList<>();
      categories.forEach((category, figures) -> counts.add(redis.send(Request.cmd(Command.PFCOUNT)
          .arg(keyspace.key("pricing:conversations:" + category))).map(count -> {
            long conversations = count == null ? 0 : count.toLong();
            figures.put("conversations", conversations).put("billablePerConversation",
                conversations == 0 ? null : Math.round(100.0 * figures.getLong("billable") / conversations) / 100.0);
            return null;
          })));
      return Future.all(counts).map(done -> {
        JsonObject out = new JsonObject();
        categories.forEach(out::put);
        return new JsonObject().put("categories", out);
      });
    });
  }

  /**
   * The stored status of a sent message: {@code {"wamid", "status", "at" (epoch seconds), "errorCode", "pricing":
   * {"category", "billable", "pricingModel"}}} (the error code and pricing when there are).
   */
  public Future<Optional<JsonObject>> statusOf(String wamid) {
    return scripts.run("status_of", keyspace.key("status"), List.of(keyspace.prefix(), Long.toString(retentionMs), wamid))
        .map(stored -> {
          if (stored == null) {
            return Optional.empty();
          }
          JsonObject json = new JsonObject().put("wamid", wamid).put("status", statusOfRank(stored.get(0).toInteger()))
              .put("at", stored.get(1).toLong());
          String category = stored.get(3).toString();
          if (!category.isEmpty()) {
            json.put("pricing", new JsonObject().put("category", category).put("billable", "1".equals(stored.get(4).toString()))
                .put("pricingModel", stored.get(5).toString()));
          }
          String code = stored.get(2).toString();
          if (!code.isEmpty()) {
            json.put("errorCode", Integer.parseInt(code));
          }
          return Optional.of(json);
        });
  }

  private static String statusOfRank(int rank) {
    for (StatusUpdate.Status status : StatusUpdate.Status.values()) {
      if (status.rank() == rank) {
        return status.wireName();
      }
    }
    throw new IllegalStateException("no status of rank " + rank);
  }
}
