package io.wabot.webhook;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.wabot.config.AppConfig;
import io.wabot.http.AdminAnswers;
import io.wabot.queue.Keyspace;
import io.wabot.queue.ScriptRunner;
import io.wabot.whatsapp.inbound.WebhookPayload;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects of webhook POSTs that became no work (a message without a sender, nested too deep, whose
 * job could not be built; a status of an unknown kind...), kept in Redis where an operator finds them:
 * {@code webhook:skipped}, newest first, for {@code queue.skippedRetention} and at most
 * {@code queue.skippedMax} entries, listed by {@code GET /admin/skipped}. Each entry is
 * {@code {"at", "kind", "reason", "id", "raw"}}; a raw object over {@value #MAX_RAW_CHARS} characters is
 * kept as the start of its JSON text, with {@code "truncated": true}.
 *
 * <p>Customers' messages are personal data: the list lives behind the admin token, and expires.
 */
public final class SkippedMessages {

  static final int MAX_RAW_CHARS = 16 * 1024;

  private final Redis redis;
  private final Keyspace keyspace;
  private final ScriptRunner scripts;
  private final long retentionMs;
  private final int max;

  public SkippedMessages(Redis redis, AppConfig config) {
    this.redis = redis;
    this.keyspace = Keyspace.of(config.queue());
    this.scripts = new ScriptRunner(redis, config.redis().commandTimeout());
    this.retentionMs = config.queue().skippedRetention().toMillis();
    this.max = config.queue().skippedMax();
  }

  /** Keeps the entries; succeeds at once when there are none. */
  public Future<Void> keep(List<WebhookPayload.Skipped> skipped) {
    if (skipped.isEmpty()) {
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis();
    List<String> args = new ArrayList<>(List.of(keyspace.prefix(), Long.toString(now), Long.toString(retentionMs),
        Integer.toString(max)));
    for (WebhookPayload.Skipped entry : skipped) {
      args.add(entry(entry, now).encode());
    }
    return scripts.run("skipped", key(), args).mapEmpty();
  }

  /** The newest entries first. */
  public Future<List<JsonObject>> list(int offset, int limit) {
    return redis.send(Request.cmd(Command.ZRANGE).arg(key()).arg(offset).arg(offset + limit - 1).arg("REV")).map(response -> {
      List<JsonObject> out = new ArrayList<>();
      if (response != null) {
        for (Response item : response) {
          out.add(new JsonObject(item.toString()));
        }
      }
      return out;
    });
  }

  /** {@code GET /admin/skipped?offset=0&limit=50} on the admin router (already behind the bearer check). */
  public void mount(Router admin) {
    admin.get("/skipped").handler(this::listRoute);
  }

  private void listRoute(RoutingContext ctx) {
    int offset = AdminAnswers.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE - 1000);
    int limit = AdminAnswers.intParam(ctx, "limit", 50, 1, 500);
    list(offset, limit)
        .onSuccess(entries -> ctx.json(new JsonObject().put("offset", offset).put("skipped", new JsonArray(new ArrayList<>(entries)))))
        .onFailure(e -> AdminAnswers.unavailable(ctx, e));
  }

  private String key() {
    return keyspace.key("webhook:skipped");
  }

  static JsonObject entry(WebhookPayload.Skipped skipped, long atMs) {
    JsonObject entry = new JsonObject().put("at", atMs).put("kind", skipped.kind()).put("reason", skipped.reason())
        .put("id", skipped.id());
    String raw = skipped.raw() == null ? null : skipped.raw().encode();
    if (raw == null || raw.length() <= MAX_RAW_CHARS) {
      return entry.put("raw", skipped.raw());
    }
    return entry.put("raw", raw.substring(0, MAX_RAW_CHARS)).put("truncated", true).put("rawLength", raw.length());
  }

}
