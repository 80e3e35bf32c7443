package io.wabot.conversation;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.wabot.config.ConversationConfig;
import io.wabot.conversation.consent.ConsentChange;
import io.wabot.conversation.consent.ConsentHook;
import io.wabot.conversation.consent.ConsentStatus;
import io.wabot.conversation.consent.MessagePurpose;
import io.wabot.conversation.handoff.AgentReplies;
import io.wabot.conversation.handoff.AgentSeat;
import io.wabot.conversation.handoff.TeamNotifier;
import io.wabot.conversation.i18n.LocaleTable;
import io.wabot.conversation.i18n.MessageCatalog;
import io.wabot.conversation.i18n.Texts;
import io.wabot.customer.CustomerDirectory;
import io.wabot.customer.CustomerIdentity;
import io.wabot.media.MediaInbox;
import io.wabot.media.ReceivedMedia;
import io.wabot.media.SignedMediaUrls;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import io.wabot.queue.Commit;
import io.wabot.queue.Job;
import io.wabot.queue.JobHandler;
import io.wabot.queue.JobOutcome;
import io.wabot.queue.Queues;
import io.wabot.whatsapp.catalog.CatalogRegistry;
import io.wabot.whatsapp.inbound.InboundJobs;
import io.wabot.whatsapp.inbound.InboundMessage;
import io.wabot.whatsapp.inbound.UserPreference;
import io.wabot.whatsapp.outbound.InvalidMessageException;
import io.wabot.whatsapp.outbound.MarkAsRead;
import io.wabot.whatsapp.outbound.OutboundJobs;
import io.wabot.whatsapp.outbound.OutboundMessage;
import io.wabot.whatsapp.outbound.TemplateMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation engine: the {@link JobHandler} of the inbound queue. A job's conversation is the
 * customer's conversation key ({@link CustomerIdentity#key()}), under which everything about them is
 * kept. For each customer message it loads the conversation's state and consent, lets the
 * {@link Dialogue} and the flows decide, and
 * returns one {@link Commit} holding everything that follows: the new state, the 24-hour window, the
 * read receipt, the replies (ids {@code <job id>:r0}, {@code :r1}, ...) and any hand-off effects.
 * The queue applies it atomically with the acknowledgement, so a crash can neither lose a reply nor
 * send one twice; the only Redis calls made here are reads.
 */
public final class ConversationEngine implements JobHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ConversationEngine.class);

  private final ConversationConfig config;
  private final StateStore store;
  private final ConsentHook consent;
  private final CustomerDirectory customers;
  private final MessageCatalog messages;
  private final Map<String, String> ambient;
  private final Handoffs handoffs;
  private final AgentSeat agentSeat;
  private final AgentReplies agentReplies;
  private final Dialogue dialogue;
  private final Clock clock;
  private final LocaleTable locales;
  private final int maxAttempts;
  private final MediaInbox inbox;
  private final WhatsAppFlows whatsappFlows;
  private final ConversationMetrics metrics;
  private final CatalogRegistry products;
  private final ServedNumber number;

  /**
   * @param customers   where a customer's current ids are, for what the bot sends on its own (a hand-back)
   * @param maxAttempts the queue's attempts per job: on the last one a message that keeps failing gets an
   *                    apology instead of silence
   */
  public ConversationEngine(ConversationConfig config, StateStore store, ConsentHook consent, CustomerDirectory customers,
      ConversationSetup setup, Clock clock, MeterRegistry registry, int maxAttempts) {
    this(config, store, consent, customers, setup, clock, registry, maxAttempts, WhatsAppFlows.off());
  }

  /** Without media downloads or links: see the full constructor. */
  public ConversationEngine(ConversationConfig config, StateStore store, ConsentHook consent, CustomerDirectory customers,
      ConversationSetup setup, Clock clock, MeterRegistry registry, int maxAttempts, WhatsAppFlows whatsappFlows) {
    this(config, store, consent, customers, setup, clock, registry, maxAttempts, whatsappFlows, null, null);
  }

  /**
   * @param registry      where the engine counts turns, hand-offs and held-back messages
   * @param whatsappFlows issues the tokens of WhatsApp Flows the bot sends and checks those of completions
   * @param inbox         media messages wait for their download here before their turn; null: media is not
   *                      downloaded and the flows see it without a file
   * @param links         signs the links to stored media in the team's notifications; null: no links
   */
  public ConversationEngine(ConversationConfig config, StateStore store, ConsentHook consent, CustomerDirectory customers,
      ConversationSetup setup, Clock clock, MeterRegistry registry, int maxAttempts, WhatsAppFlows whatsappFlows,
      MediaInbox inbox, SignedMediaUrls links) {
    this(config, store, consent, customers, setup, clock, registry, maxAttempts, whatsappFlows, inbox, links,
        new CatalogRegistry());
  }

  /** @param products the Meta catalog's synced retailer ids, which {@code turn.ui()} checks product messages against */
  public ConversationEngine(ConversationConfig config, StateStore store, ConsentHook consent, CustomerDirectory customers,
      ConversationSetup setup, Clock clock, MeterRegistry registry, int maxAttempts, WhatsAppFlows whatsappFlows,
      MediaInbox inbox, SignedMediaUrls links, CatalogRegistry products) {
    this(config, store, consent, customers, setup, clock, registry, maxAttempts, whatsappFlows, inbox, links, products,
        ServedNumber.UNNAMED);
  }

  /**
   * @param config  the conversation settings as this number's customers meet them ({@code NumberConfig.conversation()})
   * @param number  the business number this engine answers for: every job it stores and every reply names it, its
   *                meters carry its label ({@link ConversationEngines} builds one engine per number)
   */
  public ConversationEngine(ConversationConfig config, StateStore store, ConsentHook consent, CustomerDirectory customers,
      ConversationSetup setup, Clock clock, MeterRegistry registry, int maxAttempts, WhatsAppFlows whatsappFlows,
      MediaInbox inbox, SignedMediaUrls links, CatalogRegistry products, ServedNumber number) {
    this.number = number;
    this.products = products;
    MessageCatalog messages = setup.messages();
    List<Flow> flows = setup.flows();
    this.locales = setup.locales();
    this.config = config;
    this.whatsappFlows = whatsappFlows;
    this.inbox = inbox;
    this.maxAttempts = maxAttempts;
    this.store = store;
    this.consent = consent;
    this.customers = customers;
    this.messages = messages;
    this.clock = clock;
    this.ambient = Map.of("shop", config.businessName());
    this.metrics = new ConversationMetrics(registry, number);
    TeamNotifier team = new TeamNotifier(config.escalation(), messages.texts(config.defaultLocale(), ambient), links,
        setup.ownHandoffChannel(), clock, number);
    this.handoffs = new Handoffs(team, config.escalation().handoffTimeout(), flows, metrics);
    this.agentSeat = new AgentSeat(team, store, customers, clock);
    this.agentReplies = new AgentReplies(config, store, consent, customers, team, clock, metrics);
    this.dialogue = new Dialogue(flows, new Intents(messages, setup.commands()), handoffs, consent, messages, ambient,
        config.misunderstandingThreshold(), metrics);
  }

  @Override
  public Future<JobOutcome> handle(Job job) {
    InboundJob decoded;
    try {
      decoded = InboundJob.decode(job.payload(), job.conversationId());
    } catch (RuntimeException e) {
      // Bad data fails the same way on every attempt: kept for an operator, never retried.
      return Future.succeededFuture(JobOutcome.deadLetter(e.getMessage()));
    }
    if (decoded instanceof InboundJob.CustomerMessage message) {
      return message(job, message);
    }
    if (decoded instanceof InboundJob.Handback handback) {
      return handback(job, handback);
    }
    if (decoded instanceof InboundJob.HandoffTimer timer) {
      return timer(job, timer);
    }
    if (decoded instanceof InboundJob.Preference preference) {
      return preference(job, preference);
    }
    return agentReplies.deliver(job, (InboundJob.AgentReply) decoded);
  }

  // ---- customer messages ---------------------------------------------------------------------

  private Future<JobOutcome> message(Job job, InboundJob.CustomerMessage inbound) {
    InboundMessage message = inbound.message();
    if (message instanceof InboundMessage.BusinessEcho) {
      return takenInApp(job, message.customer());
    }
    if (agentSeat.speaksFor(message.customer())) {
      return agentSeat.handle(job, message); // the sales team's agent, never a customer
    }
    if (inbox != null && message instanceof InboundMessage.Media media) {
      // The turn waits at the head of the conversation until the file is stored or has failed for good.
      return inbox.receive(job, media, message.customer()).compose(received -> received.isPresent()
              ? answer(job, inbound, received.get())
              : Future.succeededFuture(JobOutcome.postpone(MediaInbox.POLL, "waiting for the media download")))
          .recover(e -> job.attempts() < maxAttempts ? Future.failedFuture(e) : apologise(job, inbound, job.correlation(), e));
    }
    return answer(job, inbound, null);
  }

  private Future<JobOutcome> answer(Job job, InboundJob.CustomerMessage inbound, ReceivedMedia media) {
    InboundMessage message = inbound.message();
    Correlation correlation = job.correlation();
    Instant now = clock.instant();
    CustomerIdentity customer = message.customer();
    return Future.all(store.load(customer.key()), consent.onInbound(message)).compose(loaded -> {
      StateStore.Loaded stored = loaded.resultAt(0);
      ConsentStatus status = loaded.resultAt(1);
      if (stored.unreadable()) {
        Events.warn(LOG, "conversation.state_unreadable", correlation).log("Stored state could not be read; starting over");
      }
      ConversationState state = initialState(stored, message, now);
      Turn turn = new Turn(message, customer, state, messages.texts(state.locale(), ambient), now, stored.state() == null,
          whatsappFlows, config.catalogId(), products);
      turn.receivedMedia(media);
      return dialogue.run(turn, status, job.id(), correlation)
          .map(v -> JobOutcome.done(commitMessage(job, turn, inbound, now, correlation)));
    }).recover(e -> job.attempts() < maxAttempts && !deterministic(e)
        ? Future.failedFuture(e) : apologise(job, inbound, correlation, e));
  }

  /** Someone answered this customer from the WhatsApp Business app: hand the conversation to them. */
  private Future<JobOutcome> takenInApp(Job job, CustomerIdentity customer) {
    Instant now = clock.instant();
    String key = customer.key();
    return store.load(key).map(stored -> {
      ConversationState state = stored.state() != null ? stored.state().withCustomer(key) : ConversationState.start(key, null,
          messages.closestSupported(locales.forCustomer(customer, config.defaultLocale())), now);
      Commit commit = handoffs.takenInApp(state, key, job.id(), now, job.correlation(), store::save);
      return commit == null ? JobOutcome.done() : JobOutcome.done(commit);
    });
  }

  /** A reply that breaks a Cloud API limit fails the same way on every attempt: retrying only delays the apology. */
  private static boolean deterministic(Throwable failure) {
    return failure instanceof InvalidMessageException;
  }

  /**
   * The last attempt at a message that keeps failing (a bug in a flow, a broken catalog source): rather
   * than leave the customer without an answer, say sorry and how to reach a person. The state stays as it was.
   * The apology is a message like any other: never to a customer who sent STOP (the consent hook's policy decides, as
   * for every reply), nor to a failing STOP itself, nor during a hand-off's quiet period (the team should have had
   * the message). When the state or the consent cannot be read (an adopter's consent store down is often the very
   * failure), or any of these forbids the apology, the message goes to the dead-letter queue instead, to be
   * replayed once the cause is mended.
   */
  private Future<JobOutcome> apologise(Job job, InboundJob.CustomerMessage received, Correlation correlation,
      Throwable cause) {
    InboundMessage message = received.message();
    CustomerIdentity customer = message.customer();
    String failed = "failed " + job.attempts() + " attempts: " + (cause.getMessage() == null ? cause.getClass().getSimpleName()
        : cause.getMessage());
    String locale = messages.closestSupported(locales.forCustomer(customer, config.defaultLocale()));
    if (dialogue.saysStop(message)) {
      return Future.succeededFuture(notApologising(correlation, cause, failed + "; no apology: the message is a STOP"));
    }
    return Future.all(store.load(customer.key()), consent.status(customer)).transform(read -> {
      if (read.failed()) {
        return Future.succeededFuture(notApologising(correlation, cause, failed + "; no apology: the customer's state or"
            + " consent could not be read (" + read.cause().getMessage() + ")"));
      }
      StateStore.Loaded stored = read.result().resultAt(0);
      ConversationState state = stored != null ? stored.state() : null;
      if (state != null && state.handoff() != null && state.handoff().activeAt(clock.instant())) {
        return Future.succeededFuture(notApologising(correlation, cause, failed + "; no apology: a hand-off is on"));
      }
      Texts texts = messages.texts(state != null ? state.locale() : locale, ambient);
      OutboundMessage apology = new Ui(customer.address()).text(texts.get("error.generic"));
      if (!consent.allowOutbound(read.result().resultAt(1), apology, MessagePurpose.REPLY)) {
        return Future.succeededFuture(notApologising(correlation, cause, failed + "; no apology: the customer opted out"));
      }
      Events.error(LOG, "conversation.turn_failed", correlation).setCause(cause).addKeyValue("attempts", job.attempts())
          .log("A message failed on every attempt; apologising to the customer");
      return Future.succeededFuture(JobOutcome.done(Commit.none().enqueue(Queues.OUTBOUND, OutboundJobs.message(
          job.id() + ":r0", apology, customer.key(), correlation, texts.locale(), received.receivedAtMs(), number.id()))));
    });
  }

  private static JobOutcome notApologising(Correlation correlation, Throwable cause, String reason) {
    Events.error(LOG, "conversation.turn_failed", correlation).setCause(cause).addKeyValue("reason", reason)
        .log("A message failed on every attempt; kept as a dead letter, without an apology");
    return JobOutcome.deadLetter(reason);
  }

  /** The state to answer from: the stored one (under this key, whatever key it was saved under), else a new one. */
  private ConversationState initialState(StateStore.Loaded stored, InboundMessage message, Instant now) {
    String key = message.customer().key();
    String chosen = stored.chosenLocale() != null && messages.supports(stored.chosenLocale()) ? stored.chosenLocale() : null;
    ConversationState state = stored.state();
    if (state == null) {
      String derived = messages.closestSupported(locales.forCustomer(message.customer(), config.defaultLocale()));
      state = ConversationState.start(key, message.meta().profileName(), chosen != null ? chosen : derived, now);
    } else if (!key.equals(state.customer())) {
      state = state.withCustomer(key);
    }
    if (chosen != null && !chosen.equals(state.locale())) {
      state = state.withLocale(chosen, true);
    }
    boolean readable = !(message instanceof InboundMessage.Reaction);
    state = message.meta().referral() == null ? state : state.withReferral(message.meta().referral());
    return state.received(now, message.meta().profileName(), readable ? TeamNotifier.describe(message) : null);
  }

  private Commit commitMessage(Job job, Turn turn, InboundJob.CustomerMessage received, Instant now,
      Correlation correlation) {
    InboundMessage message = received.message();
    String key = turn.customer().key();
    Commit commit = store.save(Commit.none(), turn.state());
    commit = store.openWindow(commit, key, message.meta().timestamp(), now);
    if (turn.chosenLocale() != null) {
      commit = store.rememberLocale(commit, key, turn.chosenLocale());
    }
    MarkAsRead receipt = null;
    if (turn.receipt() != Turn.Receipt.NONE) {
      boolean typing = turn.receipt() == Turn.Receipt.READ_AND_TYPING && !turn.replies().isEmpty();
      receipt = new MarkAsRead(message.id(), typing);
    }
    commit = enqueueReplies(commit, job.id(), turn, turn.replies(), correlation, received.receivedAtMs(), receipt);
    Events.info(LOG, "conversation.turn", correlation).addKeyValue("flow", turn.state().flow())
        .addKeyValue("step", turn.state().step()).addKeyValue("replies", turn.replies().size())
        .addKeyValue("type", message.type()).addKeyValue("locale", turn.texts().locale()).addKeyValue("number", number.label())
        .log("Answered {} message with {} repl{}", article(message.type()), turn.replies().size(), turn.replies().size() == 1 ? "y" : "ies");
    return Effects.append(commit, turn.effects());
  }

  /**
   * @param receipt the read receipt of the message answered (null: none): carried by the first reply that goes out,
   *                or, when none does, stored as a job of its own ({@code <job id>:read})
   */
  private Commit enqueueReplies(Commit commit, String jobId, Turn turn, List<Turn.Reply> replies, Correlation correlation,
      long receivedAtMs, MarkAsRead receipt) {
    Commit out = commit;
    MarkAsRead unsent = receipt;
    for (int i = 0; i < replies.size(); i++) {
      Turn.Reply reply = replies.get(i);
      if (!consent.allowOutbound(turn.consent(), reply.message(), reply.purpose())) {
        metrics.dropped(reply.purpose().name().toLowerCase());
        Events.info(LOG, "consent.outbound_held", correlation).addKeyValue("purpose", reply.purpose().name())
            .log("Consent hook held back a {} message", reply.purpose().name().toLowerCase());
        continue;
      }
      if (LOG.isDebugEnabled()) {
        Events.debug(LOG, "conversation.reply", correlation).addKeyValue("body", reply.message().toJson().encode()).log("Reply");
      }
      out = out.enqueue(Queues.OUTBOUND, OutboundJobs.reply(jobId + ":r" + i, reply.message(), turn.customer().key(),
          correlation, turn.texts().locale(), receivedAtMs, number.id(), unsent));
      unsent = null;
    }
    if (unsent != null) {
      out = out.enqueue(Queues.OUTBOUND, OutboundJobs.markAsRead(jobId + ":read", turn.customer().key(), unsent,
          correlation, number.id()));
    }
    return out;
  }

  // ---- consent changes reported by Meta or the sender ------------------------------------------

  /** A marketing opt-out or opt-in: the consent hook's effects are committed with the job's ack. */
  private Future<JobOutcome> preference(Job job, InboundJob.Preference stored) {
    UserPreference preference = stored.preference();
    boolean stop = preference.stopped();
    if (!stop && !"resume".equalsIgnoreCase(preference.value())) {
      Events.info(LOG, "consent.preference_ignored", job.correlation()).addKeyValue("value", String.valueOf(preference.value()))
          .log("Messaging preference with an unknown value ignored");
      return Future.succeededFuture(JobOutcome.done());
    }
    ConsentChange.Source source = InboundJobs.FROM_API_ERROR.equals(stored.source())
        ? ConsentChange.Source.API_ERROR : ConsentChange.Source.USER_PREFERENCE;
    ConsentChange change = new ConsentChange(preference.customer(), stop, ConsentChange.Scope.MARKETING, source,
        preference.detail(), preference.timestamp());
    return consent.onChange(change).map(commit -> {
      Events.info(LOG, stop ? "consent.opted_out" : "consent.opted_in", job.correlation())
          .addKeyValue("scope", change.scope().name()).addKeyValue("source", source.name())
          .log("Consent recorded: {} {} ({})", stop ? "stop" : "resume", change.scope(), source);
      return JobOutcome.done(commit);
    });
  }

  // ---- hand-back and its timer ---------------------------------------------------------------

  private Future<JobOutcome> handback(Job job, InboundJob.Handback handback) {
    String key = job.conversationId();
    String reason = handback.reason();
    String escalationId = handback.escalationId();
    Correlation correlation = job.correlation();
    Instant now = clock.instant();
    return customers.identity(key, null).compose(customer -> handback(job, customer, reason, escalationId, correlation, now));
  }

  private Future<JobOutcome> handback(Job job, CustomerIdentity customer, String reason, String escalationId,
      Correlation correlation, Instant now) {
    String key = customer.key();
    return Future.all(store.load(key), consent.status(customer), store.windowOpen(key)).compose(loaded -> {
      StateStore.Loaded stored = loaded.resultAt(0);
      ConversationState state = stored.state() == null ? null : stored.state().withCustomer(key);
      if (state == null || state.handoff() == null
          || escalationId != null && !escalationId.equals(state.handoff().escalationId())) {
        Events.info(LOG, "handoff.handback_skipped", correlation).addKeyValue("reason", reason)
            .log("Nothing to hand back: the conversation is not with a person (any more)");
        return Future.succeededFuture(JobOutcome.done());
      }
      Turn turn = new Turn(null, customer, state, messages.texts(state.locale(), ambient), now, false, whatsappFlows,
          config.catalogId(), products);
      turn.consent(loaded.resultAt(1));
      handoffs.end(turn, job.id(), reason, correlation);
      turn.replaceState(turn.state().at(null, null).withContext(Map.of()));
      String notice = turn.texts().get("timeout".equals(reason) ? "fallback.handoff_timeout" : "handback.notice");
      return dialogue.startHome(turn, notice).map(v -> {
        List<Turn.Reply> notices = outsideWindowRule(turn, loaded.resultAt(2), correlation);
        Commit commit = enqueueReplies(store.save(Commit.none(), turn.state()), job.id(), turn, notices, correlation, 0, null);
        return JobOutcome.done(Effects.append(commit, turn.effects()));
      });
    });
  }

  /** Inside the 24 h window: the notices as they are. Outside: the approved template, or nothing (logged). */
  private List<Turn.Reply> outsideWindowRule(Turn turn, boolean windowOpen, Correlation correlation) {
    if (windowOpen) {
      return turn.replies().stream().map(r -> new Turn.Reply(r.message(), MessagePurpose.NOTICE)).toList();
    }
    ConversationConfig.WindowTemplate template = config.windowTemplate();
    if (!template.configured()) {
      metrics.dropped("window_closed");
      Events.warn(LOG, "conversation.window_closed", correlation)
          .log("The customer's 24-hour window is closed and no template is configured (WINDOW_TEMPLATE_NAME): notice dropped");
      return List.of();
    }
    String language = template.languageFor(turn.state().locale(), config.defaultLocale());
    Events.info(LOG, "conversation.window_template", correlation).addKeyValue("template", template.name())
        .addKeyValue("language", language).log("The 24-hour window is closed: sending the approved template instead");
    OutboundMessage message = new TemplateMessage(turn.customer().address(), template.name(), language, List.of());
    return List.of(new Turn.Reply(message, MessagePurpose.NOTICE));
  }

  private Future<JobOutcome> timer(Job job, InboundJob.HandoffTimer timer) {
    Instant until = timer.until();
    Instant now = clock.instant();
    if (now.isBefore(until)) {
      Duration wait = Duration.between(now, until);
      return Future.succeededFuture(JobOutcome.postpone(wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait,
          "hand-off in progress"));
    }
    String escalationId = timer.escalationId();
    String key = timer.customerKey();
    return Future.succeededFuture(JobOutcome.done(Commit.none().enqueue(Queues.INBOUND,
        ConversationJobs.handback(escalationId + ":timeout", key, "timeout", escalationId, job.correlation(), number.id()))));
  }

  /** Copy for the team and for tests: the texts of a locale with this engine's fixed placeholders. */
  public Texts texts(String locale) {
    return messages.texts(locale, ambient);
  }

  /** "a text", "an interactive", "an image": the message type with its article, for log lines. */
  private static String article(String type) {
    return ("aeiou".indexOf(type.isEmpty() ? 'x' : type.charAt(0)) >= 0 ? "an " : "a ") + type;
  }
}
