package io.wabot.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wabot.config.AppConfig;
import io.wabot.http.AdminAnswers;
import io.wabot.observability.Events;
import io.wabot.observability.Rejections;
import io.wabot.queue.DeadJob;
import io.wabot.queue.JobQueue;
import io.wabot.queue.QueueStats;
import io.wabot.webhook.StatusStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator endpoints under {@code /admin}, behind {@code Authorization: Bearer <ADMIN_TOKEN>}.
 * Without a configured token they do not exist (404), so an unconfigured deployment exposes nothing.
 *
 * <ul>
 *   <li>{@code GET /admin/queues} — depth, in flight, delayed, dead letters and lag of each queue</li>
 *   <li>{@code GET /admin/dead-letters/{queue}?offset=0&limit=50} — newest first</li>
 *   <li>{@code GET /admin/dead-letters/{queue}/{id}} — one, with its payload and reason</li>
 *   <li>{@code POST /admin/dead-letters/{queue}/{id}/replay} — back to the end of its conversation</li>
 *   <li>{@code DELETE /admin/dead-letters/{queue}/{id}} — gone for good</li>
 *   <li>{@code GET /admin/messages/{wamid}} — the delivery status Meta reported for a sent message</li>
 * </ul>
 *
 * Refused requests are counted by {@link Rejections}: a flood of wrong tokens costs a few log lines.
 *
 * Other features add their own admin endpoints with {@link #router()}.
 */
public final class AdminRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);

  private final AppConfig config;
  private final Map<String, JobQueue> queues;
  private final StatusStore statuses;
  private final Router admin;
  private final Rejections rejections;

  /**
   * @param rejections where refused requests (a missing or wrong token) are counted: never logged one by
   *                   one, and never with the path, which can hold a customer's number
   */
  public AdminRoutes(Vertx vertx, AppConfig config, Map<String, JobQueue> queues, StatusStore statuses,
      Rejections rejections) {
    this.config = config;
    this.rejections = rejections;
    this.queues = Map.copyOf(queues);
    this.statuses = statuses;
    this.admin = Router.router(vertx);
    admin.route().handler(this::authorize);
    admin.get("/queues").handler(this::queueStats);
    admin.get("/dead-letters/:queue").handler(this::listDead);
    admin.get("/dead-letters/:queue/:id").handler(this::showDead);
    admin.post("/dead-letters/:queue/:id/replay").handler(this::replay);
    admin.delete("/dead-letters/:queue/:id").handler(this::deleteDead);
    admin.get("/messages/:wamid").handler(this::messageStatus);
    admin.get("/pricing").handler(this::pricing);
  }

  /** The admin sub-router (already behind the bearer check), for features to add endpoints to. */
  public Router router() {
    return admin;
  }

  public void mount(Router router) {
    router.route("/admin/*").subRouter(admin);
  }

  private void authorize(RoutingContext ctx) {
    if (!config.admin().enabled()) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    byte[] expected = ("Bearer " + config.admin().token().value()).getBytes(StandardCharsets.UTF_8);
    if (header == null || !MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
      rejections.rejected("admin", "token", "missing or wrong bearer token (ADMIN_TOKEN); answered 401");
      ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer").end();
      return;
    }
    ctx.next();
  }

  private void queueStats(RoutingContext ctx) {
    List<String> names = new ArrayList<>(queues.keySet());
    List<Future<QueueStats>> all = new ArrayList<>();
    names.forEach(name -> all.add(queues.get(name).stats()));
    Future.all(all).onSuccess(done -> {
      JsonObject out = new JsonObject();
      for (int i = 0; i < names.size(); i++) {
        QueueStats s = done.resultAt(i);
        out.put(names.get(i), new JsonObject().put("waiting", s.waiting()).put("readyConversations", s.readyConversations())
            .put("inFlight", s.inFlight()).put("delayed", s.delayed()).put("deadLetters", s.deadLetters())
            .put("lagMs", s.oldestReadyAgeMs()));
      }
      ctx.json(out);
    }).onFailure(e -> AdminAnswers.unavailable(ctx, e));
  }

  private void listDead(RoutingContext ctx) {
    JobQueue queue = queue(ctx);
    if (queue == null) {
      return;
    }
    int offset = AdminAnswers.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = AdminAnswers.intParam(ctx, "limit", 50, 1, 500);
    queue.deadLetters(offset, limit).onSuccess(jobs -> {
      JsonArray array = new JsonArray();
      jobs.forEach(job -> array.add(job.toJson()));
      ctx.json(new JsonObject().put("queue", queue.name()).put("offset", offset).put("deadLetters", array));
    }).onFailure(e -> AdminAnswers.unavailable(ctx, e));
  }

  private void showDead(RoutingContext ctx) {
    JobQueue queue = queue(ctx);
    if (queue != null) {
      queue.deadLetter(ctx.pathParam("id")).onSuccess(job -> {
        if (job.isPresent()) {
          ctx.json(job.map(DeadJob::toJson).get());
        } else {
          notFound(ctx, "no dead letter with that id");
        }
      }).onFailure(e -> AdminAnswers.unavailable(ctx, e));
    }
  }

  private void replay(RoutingContext ctx) {
    JobQueue queue = queue(ctx);
    if (queue != null) {
      String id = ctx.pathParam("id");
      queue.replay(id).onSuccess(replayed -> {
        if (replayed) {
          Events.info(LOG, "admin.replayed").addKeyValue("queue", queue.name()).addKeyValue("job_id", id)
              .log("Dead letter replayed by an operator");
          ctx.json(new JsonObject().put("replayed", id));
        } else {
          notFound(ctx, "no dead letter with that id");
        }
      }).onFailure(e -> AdminAnswers.unavailable(ctx, e));
    }
  }

  private void deleteDead(RoutingContext ctx) {
    JobQueue queue = queue(ctx);
    if (queue != null) {
      String id = ctx.pathParam("id");
      queue.deleteDeadLetter(id).onSuccess(deleted -> {
        if (deleted) {
          Events.info(LOG, "admin.dead_letter_deleted").addKeyValue("queue", queue.name()).addKeyValue("job_id", id)
              .log("Dead letter deleted by an operator");
          ctx.response().setStatusCode(204).end();
        } else {
          notFound(ctx, "no dead letter with that id");
        }
      }).onFailure(e -> AdminAnswers.unavailable(ctx, e));
    }
  }

  private void messageStatus(RoutingContext ctx) {
    statuses.statusOf(ctx.pathParam("wamid")).onSuccess(status -> {
      if (status.isPresent()) {
        ctx.json(status.get());
      } else {
        notFound(ctx, "no status reported for that message (or older than queue.statusRetention)");
      }
    }).onFailure(e -> AdminAnswers.unavailable(ctx, e));
  }

  /** What Meta priced, by category, with billable messages per conversation (docs/webhook-fields.md). */
  private void pricing(RoutingContext ctx) {
    statuses.pricing().onSuccess(ctx::json).onFailure(e -> AdminAnswers.unavailable(ctx, e));
  }

  private JobQueue queue(RoutingContext ctx) {
    JobQueue queue = queues.get(ctx.pathParam("queue"));
    if (queue == null) {
      notFound(ctx, "no queue named " + ctx.pathParam("queue") + "; queues: " + queues.keySet());
    }
    return queue;
  }

  private static void notFound(RoutingContext ctx, String message) {
    ctx.response().setStatusCode(404).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }
}
