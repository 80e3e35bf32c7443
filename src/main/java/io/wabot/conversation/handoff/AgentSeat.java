package io.wabot.conversation.handoff;

import io.vertx.core.Future;
import io.wabot.conversation.ConversationJobs;
import io.wabot.conversation.ConversationState;
import io.wabot.conversation.StateStore;
import io.wabot.customer.CustomerDirectory;
import io.wabot.customer.CustomerIdentity;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import io.wabot.queue.Commit;
import io.wabot.queue.Job;
import io.wabot.queue.JobOutcome;
import io.wabot.queue.Queues;
import io.wabot.whatsapp.inbound.InboundMessage;
import io.wabot.whatsapp.outbound.MarkAsRead;
import io.wabot.whatsapp.outbound.OutboundJobs;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's WhatsApp as a seat of the sales team: a message from the configured agent number
 * ({@code AGENT_WHATSAPP_NUMBER}) is the agent's, never a customer's, so it never meets the customer
 * flow. Hand-off notifications reach that number with two buttons ({@link AgentActions}):
 *
 * <ul>
 *   <li><em>Answer</em>: from now on, what the agent writes goes to this customer, until they tap
 *       <em>Answer</em> under another customer's message. The seat remembers whom they answer in its own
 *       conversation state (context {@value #ANSWERING}), under the agent's conversation key.</li>
 *   <li><em>Hand back to bot</em>: the hand-off ends through the real hand-back path (a {@code handback}
 *       job in the customer's FIFO, as {@code POST /admin/conversations/{customer}/handback} stores): the
 *       customer gets the notice and the menu, the agent a line that the bot answers them again.</li>
 * </ul>
 *
 * A text becomes an {@code agent_reply} job for the customer being answered ({@link AgentReplies} sends
 * it from the business number, or tells the agent why not). Whatever cannot be passed on (no customer
 * chosen, a customer back with the bot, a photo) gets a short note saying so, quoting the agent's
 * message. Each message is marked read, without a typing indicator: blue ticks mean the bot has it.
 */
public final class AgentSeat {

  /** The context key of the seat's state: the conversation key of the customer being answered. */
  static final String ANSWERING = "agent.answering";

  private static final Logger LOG = LoggerFactory.getLogger(AgentSeat.class);

  private final TeamNotifier team;
  private final StateStore store;
  private final CustomerDirectory customers;
  private final Clock clock;

  public AgentSeat(TeamNotifier team, StateStore store, CustomerDirectory customers, Clock clock) {
    this.team = team;
    this.store = store;
    this.customers = customers;
    this.clock = clock;
  }

  /** Whether this sender is the agent: the configured agent number, by the phone number Meta shares. */
  public boolean speaksFor(CustomerIdentity sender) {
    return team.agentNumber() != null && team.agentNumber().equals(sender.phone());
  }

  /** Handles one of the agent's messages; everything it causes is committed with the job's acknowledgement. */
  public Future<JobOutcome> handle(Job job, InboundMessage message) {
    if (message instanceof InboundMessage.Reaction || message instanceof InboundMessage.IdentityChanged
        || message instanceof InboundMessage.Unsupported u && u.type().equals("system")) {
      return Future.succeededFuture(JobOutcome.done());
    }
    Commit read = Commit.none().enqueue(Queues.OUTBOUND, OutboundJobs.markAsRead(job.id() + ":read",
        message.customer().key(), new MarkAsRead(message.id(), false), job.correlation(), team.number().id()));
    Optional<AgentActions.Action> action = message instanceof InboundMessage.ButtonReply tap
        ? AgentActions.parse(tap.buttonId()) : Optional.empty();
    Future<Commit> effects;
    if (action.isPresent()) {
      String customerKey = action.get().customerKey();
      effects = action.get() instanceof AgentActions.Answer ? answer(job, message, customerKey)
          : handback(job, message, customerKey);
    } else if (message instanceof InboundMessage.Text text) {
      effects = write(job, message, text.body());
    } else {
      effects = Future.succeededFuture(team.noteToAgent(job.id(), "agent.text_only", null, null, false, message.id(),
          job.correlation()));
    }
    return effects.map(commit -> JobOutcome.done(read.and(commit)));
  }

  private Future<Commit> answer(Job job, InboundMessage message, String customerKey) {
    return withHandoff(job, message, customerKey, (customer, state) -> seat(message).map(seat -> {
      Events.info(LOG, "handoff.agent_answering", job.correlation()).log("The agent answers a customer in a hand-off");
      return store.save(Commit.none(), seat.withContext(Map.of(ANSWERING, customer.key())))
          .and(team.noteToAgent(job.id(), "agent.answering", state, customer, true, null, job.correlation()));
    }));
  }

  private Future<Commit> handback(Job job, InboundMessage message, String customerKey) {
    return withHandoff(job, message, customerKey, (customer, state) -> seat(message).map(seat -> {
      String escalationId = state.handoff().escalationId();
      // The hand-off's id ties this to the escalation's log events, as for the admin endpoint's hand-back.
      Correlation correlation = new Correlation(escalationId, customer.masked(), "");
      Events.info(LOG, "handoff.handback_requested", correlation).log("The agent handed the conversation back to the bot");
      Commit commit = Commit.none().enqueue(Queues.INBOUND, ConversationJobs.handback(job.id() + ":handback", customer.key(),
          "agent", escalationId, correlation, team.number().id()));
      return customer.key().equals(seat.context(ANSWERING)) ? store.save(commit, seat.withContext(Map.of())) : commit;
    }));
  }

  private Future<Commit> write(Job job, InboundMessage message, String text) {
    return seat(message).compose(seat -> {
      String answering = seat.context(ANSWERING);
      if (answering == null) {
        return Future.succeededFuture(team.noteToAgent(job.id(), "agent.no_customer", null, null, false, message.id(),
            job.correlation()));
      }
      return withHandoff(job, message, answering, (customer, state) -> Future.succeededFuture(Commit.none()
          .enqueue(Queues.INBOUND, ConversationJobs.agentReply(job.id() + ":reply", customer.key(), text,
              AgentReplies.FROM_AGENT, message.id(), job.correlation(), team.number().id()))));
    });
  }

  /** What happens when the customer is in a hand-off; otherwise a note that they are back with the bot. */
  private Future<Commit> withHandoff(Job job, InboundMessage message, String customerKey, WhileHandedOff then) {
    return Future.all(customers.identity(customerKey, null), store.load(customerKey)).compose(loaded -> {
      CustomerIdentity customer = loaded.resultAt(0);
      ConversationState state = loaded.<StateStore.Loaded>resultAt(1).state();
      if (state != null && state.handedOffAt(clock.instant())) {
        return then.apply(customer, state);
      }
      Events.info(LOG, "handoff.agent_not_waiting", job.correlation())
          .log("The agent wrote about a customer who is back with the bot; nothing passed on");
      return Future.succeededFuture(team.noteToAgent(job.id(), "agent.not_waiting", state, customer, false, message.id(),
          job.correlation()));
    });
  }

  /** The seat's own conversation state (whom the agent answers), new when there is none. */
  private Future<ConversationState> seat(InboundMessage message) {
    String key = message.customer().key();
    return store.load(key).map(loaded -> loaded.state() != null ? loaded.state()
        : ConversationState.start(key, message.meta().profileName(), team.locale(), clock.instant()));
  }

  @FunctionalInterface
  private interface WhileHandedOff {
    Future<Commit> apply(CustomerIdentity customer, ConversationState state);
  }
}
