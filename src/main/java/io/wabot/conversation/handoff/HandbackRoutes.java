package io.wabot.conversation.handoff;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wabot.conversation.ConversationJobs;
import io.wabot.conversation.StateStore;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import io.wabot.observability.Mask;
import io.wabot.queue.JobQueue;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/conversations/{waId}/handback}: a person is done with a customer and the bot
 * takes over again. Mounted on the admin router (bearer {@code ADMIN_TOKEN}, 404 when admin is off).
 *
 * <p>The hand-back is queued in the customer's own FIFO, so it never races a message being answered:
 * 202 when queued, 409 when the conversation is not with a person. The customer then gets a short
 * notice and the menu (or the approved template when their 24-hour window has closed).
 */
public final class HandbackRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(HandbackRoutes.class);

  private final JobQueue inbound;
  private final StateStore states;

  public HandbackRoutes(JobQueue inbound, StateStore states) {
    this.inbound = inbound;
    this.states = states;
  }

  /** Adds the route to the admin sub-router (paths relative to {@code /admin}). */
  public void mount(Router admin) {
    admin.post("/conversations/:waId/handback").handler(this::handback);
  }

  private void handback(RoutingContext ctx) {
    String waId = ctx.pathParam("waId").replaceAll("[\\s+()-]", "");
    if (!waId.matches("\\d{5,20}")) {
      answer(ctx, 400, new JsonObject().put("error", "waId must be the customer's WhatsApp number, digits only"));
      return;
    }
    states.load(waId).compose(loaded -> {
      if (loaded.state() == null || loaded.state().handoff() == null) {
        answer(ctx, 409, new JsonObject().put("error", "this conversation is not with a person"));
        return io.vertx.core.Future.succeededFuture();
      }
      String escalationId = loaded.state().handoff().escalationId();
      // The hand-off's id ties this to the escalation's log events, like a message's wamid does.
      Correlation correlation = new Correlation(escalationId, Mask.phone(waId), "");
      String jobId = "handback:" + escalationId + ":" + UUID.randomUUID();
      return inbound.enqueue(List.of(ConversationJobs.handback(jobId, waId, "admin", escalationId, correlation)))
          .map(stored -> {
            Events.info(LOG, "handoff.handback_requested", correlation).log("An operator handed the conversation back to the bot");
            answer(ctx, 202, new JsonObject().put("handback", "queued").put("escalationId", escalationId));
            return null;
          });
    }).onFailure(e -> {
      Events.warn(LOG, "admin.redis_unavailable").addKeyValue("error", String.valueOf(e.getMessage()))
          .log("Hand-back failed: Redis did not answer");
      ctx.response().putHeader("Retry-After", "5");
      answer(ctx, 503, new JsonObject().put("error", "Redis is unavailable; try again shortly"));
    });
  }

  private static void answer(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
