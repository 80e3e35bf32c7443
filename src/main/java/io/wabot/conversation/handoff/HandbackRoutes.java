package io.wabot.conversation.handoff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wabot.conversation.ConversationJobs;
import io.wabot.conversation.StateStore;
import io.wabot.customer.CustomerDirectory;
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
 * event carries, their phone number or their BSUID. Mounted on the admin router (bearer
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
  private final CustomerDirectory customers;

  public HandbackRoutes(JobQueue inbound, StateStore states, CustomerDirectory customers) {
    this.inbound = inbound;
    this.states = states;
    this.customers = customers;
  }

  /** Adds the route to the admin sub-router (paths relative to {@code /admin}). */
  public void mount(Router admin) {
    admin.post("/conversations/:customer/handback").handler(this::handback);
  }

  private void handback(RoutingContext ctx) {
    String id = ctx.pathParam("customer").replaceAll("[\\s()-]", "");
    customers.find(id).compose(found -> {
      if (found.isEmpty()) {
        answer(ctx, 404, new JsonObject().put("error", "no customer with that conversation key, phone number or BSUID"));
        return Future.succeededFuture();
      }
      return handback(ctx, found.get());
    }).onFailure(e -> {
      Events.warn(LOG, "admin.redis_unavailable").addKeyValue("error", String.valueOf(e.getMessage()))
          .log("Hand-back failed: Redis did not answer");
      ctx.response().putHeader("Retry-After", "5");
      answer(ctx, 503, new JsonObject().put("error", "Redis is unavailable; try again shortly"));
    });
  }

  private Future<Void> handback(RoutingContext ctx, CustomerIdentity customer) {
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
      return inbound.enqueue(List.of(ConversationJobs.handback(jobId, key, "admin", escalationId, correlation)))
          .map(stored -> {
            Events.info(LOG, "handoff.handback_requested", correlation).log("An operator handed the conversation back to the bot");
            answer(ctx, 202, new JsonObject().put("handback", "queued").put("escalationId", escalationId)
                .put("customer", key));
            return null;
          });
    });
  }

  private static void answer(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
