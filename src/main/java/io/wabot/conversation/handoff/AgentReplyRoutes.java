package io.wabot.conversation.handoff;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.wabot.config.ConversationConfig;
import io.wabot.conversation.ConversationJobs;
import io.wabot.conversation.ConversationState;
import io.wabot.conversation.StateStore;
import io.wabot.customer.CustomerIdentity;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import io.wabot.queue.JobQueue;
import io.wabot.whatsapp.outbound.Limits;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/conversations/{customer}/reply} with {@code {"text": "…"}}: a person answers a
 * customer in a hand-off from the team's own tool (a helpdesk, a CRM fed by the hand-off events of
 * {@code ESCALATION_WEBHOOK_URL}). The text goes to the customer from the business number, through the
 * customer's FIFO, the outbound queue and the sender ({@link AgentReplies}). {@code customer} is any of
 * the customer's ids, as for the hand-back: the event's {@code customer.key}, the phone number or the BSUID (with
 * {@code ?number=} when the customer writes to several business numbers). The words go out from the number of the
 * conversation, under its window template.
 * Mounted on the admin router (bearer {@code ADMIN_TOKEN}; 401 without it, 404 when admin is off).
 *
 * <p>Answers: 202 {@code {"reply": "queued", "delivery": "text", "jobId", "customer", "escalationId"}};
 * 202 with {@code "delivery": "template"} when the customer's 24-hour window has closed and
 * {@code WINDOW_TEMPLATE_NAME} is set (WhatsApp refuses free text then: the approved template invites the
 * customer to write again, and the text is not sent); 409 when the window has closed without a template,
 * or when the conversation is not with a person (the bot has it: nobody talks over it); 404 for nobody;
 * 400 for a body that is not {@code {"text": "1 to 4096 characters"}}; 413 above 64 KB; 503 when Redis does
 * not answer. An optional {@code "id"} (your message's id, 1 to 64 letters, digits, {@code . _ -}) makes a
 * retried request send once: the repeat answers 202 with {@code "duplicate": true}. The consent hook
 * still has the last word when the job runs, as for every message.
 */
public final class AgentReplyRoutes {

  static final int BODY_LIMIT = 64 * 1024;
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Logger LOG = LoggerFactory.getLogger(AgentReplyRoutes.class);

  private final JobQueue inbound;
  private final StateStore states;
  private final ConversationFinder conversations;
  private final Clock clock;

  public AgentReplyRoutes(JobQueue inbound, StateStore states, ConversationFinder conversations, Clock clock) {
    this.inbound = inbound;
    this.states = states;
    this.conversations = conversations;
    this.clock = clock;
  }

  /** Adds the route to the admin sub-router (paths relative to {@code /admin}). */
  public void mount(Router admin) {
    admin.post("/conversations/:customer/reply").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
        .handler(this::reply);
  }

  /** What the caller asked for, or why it cannot be read. */
  private record Request(String text, String id, String problem) {
  }

  private void reply(RoutingContext ctx) {
    Request request = read(ctx);
    if (request.problem() != null) {
      answer(ctx, 400, new JsonObject().put("error", request.problem()));
      return;
    }
    String id = ctx.pathParam("customer").replaceAll("[\\s()-]", "");
    conversations.find(id, ctx.queryParams().get("number"), missing -> {
      answer(ctx, missing.status(), new JsonObject().put("error", missing.error()));
      return null;
    }).compose(found -> found == null ? Future.succeededFuture() : reply(ctx, found, request)).onFailure(e -> {
      Events.warn(LOG, "admin.redis_unavailable").addKeyValue("error", String.valueOf(e.getMessage()))
          .log("Agent reply failed: Redis did not answer");
      ctx.response().putHeader("Retry-After", "5");
      answer(ctx, 503, new JsonObject().put("error", "Redis is unavailable; try again shortly"));
    });
  }

  private static Request read(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    Object text = body == null ? null : body.getValue("text");
    if (!(text instanceof String s) || s.isBlank() || s.codePointCount(0, s.length()) > Limits.TEXT_BODY) {
      return new Request(null, null, "the body must be JSON with \"text\": 1 to " + Limits.TEXT_BODY
          + " characters, e.g. {\"text\": \"Hi Ana, this is Luis from sales\"}");
    }
    Object requestId = body.getValue("id");
    if (requestId != null && !(requestId instanceof String r && REQUEST_ID.matcher(r).matches())) {
      return new Request(null, null, "\"id\" must be 1 to 64 letters, digits, '.', '_' or '-', e.g. \"msg-1042\"");
    }
    return new Request(s.strip(), (String) requestId, null);
  }

  private Future<Void> reply(RoutingContext ctx, ConversationFinder.Found found, Request request) {
    CustomerIdentity customer = found.customer();
    ConversationConfig.WindowTemplate windowTemplate = found.number().conversation().windowTemplate();
    String key = customer.key();
    return Future.all(states.load(key), states.windowOpen(key)).compose(loaded -> {
      ConversationState state = loaded.<StateStore.Loaded>resultAt(0).state();
      boolean windowOpen = loaded.resultAt(1);
      if (state == null || !state.handedOffAt(clock.instant())) {
        answer(ctx, 409, new JsonObject().put("error", "this conversation is not with a person: the bot has it"));
        return Future.succeededFuture();
      }
      if (!windowOpen && !windowTemplate.configured()) {
        answer(ctx, 409, new JsonObject().put("error", "the customer's 24-hour window has closed: WhatsApp allows only"
            + " approved templates, and none is configured (WINDOW_TEMPLATE_NAME); the text can go once they write again"));
        return Future.succeededFuture();
      }
      String escalationId = state.handoff().escalationId();
      Correlation correlation = new Correlation(escalationId, customer.masked(), "");
      String jobId = "reply:" + key + ":" + (request.id() != null ? request.id() : UUID.randomUUID().toString());
      return inbound.enqueue(List.of(ConversationJobs.agentReply(jobId, key, request.text(), AgentReplies.FROM_ADMIN, null,
          correlation, found.number().phoneNumberId()))).map(stored -> {
            Events.info(LOG, "handoff.agent_reply_requested", correlation).addKeyValue("window_open", windowOpen)
                .addKeyValue("duplicate", stored.isEmpty()).log("A person's reply to the customer was queued");
            JsonObject body = new JsonObject().put("reply", "queued").put("delivery", windowOpen ? "text" : "template")
                .put("jobId", jobId).put("customer", key).put("escalationId", escalationId)
                .put("number", found.number().label());
            if (!windowOpen) {
              body.put("note", "the customer's 24-hour window has closed: they get the approved template inviting them"
                  + " to write again, not this text");
            }
            answer(ctx, 202, stored.isEmpty() ? body.put("duplicate", true) : body);
            return null;
          });
    });
  }

  private static void answer(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
