package io.wabot.conversation.handoff;

import io.vertx.core.Future;
import io.wabot.config.ConversationConfig;
import io.wabot.conversation.ConversationMetrics;
import io.wabot.conversation.ConversationState;
import io.wabot.conversation.Fit;
import io.wabot.conversation.InboundJob;
import io.wabot.conversation.StateStore;
import io.wabot.conversation.consent.ConsentHook;
import io.wabot.conversation.consent.ConsentStatus;
import io.wabot.conversation.consent.MessagePurpose;
import io.wabot.customer.CustomerDirectory;
import io.wabot.customer.CustomerIdentity;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import io.wabot.queue.Commit;
import io.wabot.queue.Job;
import io.wabot.queue.JobOutcome;
import io.wabot.queue.Queues;
import io.wabot.whatsapp.outbound.Limits;
import io.wabot.whatsapp.outbound.OutboundJobs;
import io.wabot.whatsapp.outbound.OutboundMessage;
import io.wabot.whatsapp.outbound.TemplateMessage;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a person's words to a customer during a hand-off: the {@code agent_reply} jobs that the admin
 * endpoint ({@link AgentReplyRoutes}) and the agent's WhatsApp ({@link AgentSeat}) store in the customer's
 * own FIFO. They go out from the business number through the outbound queue and the sender, like any
 * reply, under the rules every message to a customer follows:
 *
 * <ul>
 *   <li>only while the conversation is with a person: once it is handed back, the bot talks and a late
 *       reply is not sent;</li>
 *   <li>the consent hook decides, as for any reply;</li>
 *   <li>outside the 24-hour window WhatsApp refuses free text: the approved template
 *       ({@code WINDOW_TEMPLATE_NAME}) goes instead, inviting the customer to write again, or nothing
 *       when none is configured.</li>
 * </ul>
 *
 * Whenever the words did not go out as written, the agent's WhatsApp is told why; the admin endpoint
 * checked the same things before it answered, and each case is logged.
 */
public final class AgentReplies {

  /** The admin endpoint: {@code POST /admin/conversations/{customer}/reply}. */
  public static final String FROM_ADMIN = "admin";
  /** The agent's WhatsApp (the configured agent number). */
  public static final String FROM_AGENT = "agent";

  private static final Logger LOG = LoggerFactory.getLogger(AgentReplies.class);

  private final ConversationConfig config;
  private final StateStore store;
  private final ConsentHook consent;
  private final CustomerDirectory customers;
  private final TeamNotifier team;
  private final Clock clock;
  private final ConversationMetrics metrics;

  public AgentReplies(ConversationConfig config, StateStore store, ConsentHook consent, CustomerDirectory customers,
      TeamNotifier team, Clock clock, ConversationMetrics metrics) {
    this.metrics = metrics;
    this.config = config;
    this.store = store;
    this.consent = consent;
    this.customers = customers;
    this.team = team;
    this.clock = clock;
  }

  /** Handles one {@code agent_reply} job: the reply, the template instead, or nothing, with a note to the agent. */
  public Future<JobOutcome> deliver(Job job, InboundJob.AgentReply agentReply) {
    String text = agentReply.text();
    if (text == null || text.isBlank()) {
      return Future.succeededFuture(JobOutcome.deadLetter("the agent reply holds no text"));
    }
    String key = job.conversationId();
    return customers.identity(key, null).compose(customer -> Future.all(store.load(key), consent.status(customer),
        store.windowOpen(key)).map(loaded -> {
          StateStore.Loaded stored = loaded.resultAt(0);
          return JobOutcome.done(decide(job, agentReply, customer, stored.state(), loaded.resultAt(1), loaded.resultAt(2)));
        }));
  }

  private Commit decide(Job job, InboundJob.AgentReply agentReply, CustomerIdentity customer, ConversationState state,
      ConsentStatus status, boolean windowOpen) {
    Correlation correlation = job.correlation();
    String source = agentReply.source() == null ? FROM_ADMIN : agentReply.source();
    if (state == null || !state.handedOffAt(clock.instant())) {
      Events.info(LOG, "handoff.agent_reply_dropped", correlation).addKeyValue("reason", "not_with_person")
          .addKeyValue("source", source).log("A person's reply was not sent: the conversation is back with the bot");
      return note(job, agentReply, "agent.not_waiting", state, customer);
    }
    if (!windowOpen) {
      return windowClosed(job, agentReply, customer, state, status);
    }
    OutboundMessage reply = OutboundMessage.text(customer.address(), Fit.to(agentReply.text(), Limits.TEXT_BODY));
    if (!consent.allowOutbound(status, reply, MessagePurpose.REPLY)) {
      return held(job, agentReply, customer, state, MessagePurpose.REPLY);
    }
    Events.info(LOG, "handoff.agent_replied", correlation).addKeyValue("source", source)
        .log("A person's reply goes to the customer from the business number");
    return Commit.none().enqueue(Queues.OUTBOUND, OutboundJobs.message(job.id() + ":r0", reply, customer.key(), correlation,
        state.locale(), 0, team.number().id()));
  }

  /** WhatsApp would refuse the free text (131047): the approved template invites the customer back, if there is one. */
  private Commit windowClosed(Job job, InboundJob.AgentReply agentReply, CustomerIdentity customer, ConversationState state, ConsentStatus status) {
    Correlation correlation = job.correlation();
    ConversationConfig.WindowTemplate template = config.windowTemplate();
    if (!template.configured()) {
      metrics.dropped("window_closed");
      Events.warn(LOG, "conversation.window_closed", correlation).log("The customer's 24-hour window is closed and no"
          + " template is configured (WINDOW_TEMPLATE_NAME): the person's reply was not sent");
      return note(job, agentReply, "agent.window_closed", state, customer);
    }
    String language = template.languageFor(state.locale(), config.defaultLocale());
    OutboundMessage invitation = new TemplateMessage(customer.address(), template.name(), language, List.of());
    if (!consent.allowOutbound(status, invitation, MessagePurpose.NOTICE)) {
      return held(job, agentReply, customer, state, MessagePurpose.NOTICE);
    }
    Events.info(LOG, "conversation.window_template", correlation).addKeyValue("template", template.name())
        .addKeyValue("language", language)
        .log("The 24-hour window is closed: the approved template goes instead of the person's reply");
    return Commit.none().enqueue(Queues.OUTBOUND, OutboundJobs.message(job.id() + ":template", invitation, customer.key(),
        correlation, state.locale(), 0, team.number().id())).and(note(job, agentReply, "agent.window_closed.template", state, customer));
  }

  private Commit held(Job job, InboundJob.AgentReply agentReply, CustomerIdentity customer, ConversationState state,
      MessagePurpose purpose) {
    metrics.dropped(purpose.name().toLowerCase());
    Events.info(LOG, "consent.outbound_held", job.correlation()).addKeyValue("purpose", purpose.name())
        .log("Consent hook held back a person's reply");
    return note(job, agentReply, "agent.held", state, customer);
  }

  /** Only the agent's WhatsApp hears back here; the admin endpoint answered its caller before storing the job. */
  private Commit note(Job job, InboundJob.AgentReply agentReply, String textKey, ConversationState state, CustomerIdentity customer) {
    if (!FROM_AGENT.equals(agentReply.source())) {
      return Commit.none();
    }
    boolean withHandback = state != null && state.handedOffAt(clock.instant());
    return team.noteToAgent(job.id(), textKey, state, customer, withHandback, agentReply.agentMessageId(),
        job.correlation());
  }
}
