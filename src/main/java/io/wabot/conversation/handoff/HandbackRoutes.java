package io.wabot.conversation.handoff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wabot.conversation.ConversationJobs;
import io.wabot.conversation.StateStore;
import io.wabot.customer.CustomerIdentity;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import io.wabot.queue.JobQueue;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/conversations/{customer}/handback}: a person is done with a customer and the bot
 * takes over again. {@code customer} is any of the customer's ids: the conversation key the hand-off
 * event carries, their phone number or their BSUID; with several business numbers, {@code ?number=} (a name or
 * {@code phone_number_id}) says which number's conversation when the customer writes to more than one (409 until
 * it does). The hand-back goes out from that number. Mounted on the admin router (bearer
 * {@code ADMIN_TOKEN}, 404 when admin is off).
 *
 * <p>The hand-back is queued in the customer's own FIFO, so it never races a message being answered:
 * 202 when queued, 409 when the conversation is not with a person. The customer then gets a short
 * notice and the menu (or the approved template when their 24-hour window has closed). 404 when no
 * customer has that id.
 */
public final class HandbackRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(HandbackRoutes.class);

  private final JobQueue inbound;
  private final StateStore states;
  private final ConversationFinder conversations;

  public HandbackRoutes(JobQueue inbound, StateStore states, ConversationFinder conversations) {
    this.inbound = inbound;
    this.states = states;
    this.conversations = conversations;
  }

  /** Adds the route to the admin sub-router (paths relative to {@code /admin}). */
  public void mount(Router admin) {
    admin.post("/conversations/:customer/handback").handler(this::handback);
  }

  private void handback(RoutingContext ctx) {
    String id = ctx.pathParam("customer").replaceAll("[\\s()-]", "");
    conversations.find(id, ctx.queryParams().get("number"), missing -> {
      answer(ctx, missing.status(), new JsonObject().put("error", missing.error()));
      return null;
    }).compose(found -> found == null ? Future.succeededFuture() : handback(ctx, found)).onFailure(e -> {
      Events.warn(LOG, "admin.redis_unavailable").addKeyValue("error", String.valueOf(e.getMessage()))
          .log("Hand-back failed: Redis did not answer");
      ctx.response().putHeader("Retry-After", "5");
      answer(ctx, 503, new JsonObject().put("error", "Redis is unavailable; try again shortly"));
    });
  }

  private Future<Void> handback(RoutingContext ctx, ConversationFinder.Found found) {
    CustomerIdentity customer = found.customer();
    String key = customer.key();
    return states.load(key).compose(loaded -> {
      if (loaded.state() == null || loaded.state().handoff() == null) {
        answer(ctx, 409, new JsonObject().put("error", "this conversation is not with a person"));
        return Future.succeededFuture();
      }
      String escalationId = loaded.state().handoff().escalationId();
      // The hand-off's id ties this to the escalation's log events, like a message's wamid does.
      Correlation correlation = new Correlation(escalationId, customer.masked(), "");
      String jobId = "handback:" + escalationId + ":" + UUID.randomUUID();
      return inbound.enqueue(List.of(ConversationJobs.handback(jobId, key, "admin", escalationId, correlation,
              found.number().phoneNumberId())))
          .map(stored -> {
            Events.info(LOG, "handoff.handback_requested", correlation).log("An operator handed the conversation back to the bot");
            answer(ctx, 202, new JsonObject().put("handback", "queued").put("escalationId", escalationId)
                .put("customer", key).put("number", found.number().label()));
            return null;
          });
    });
  }

  private static void answer(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
