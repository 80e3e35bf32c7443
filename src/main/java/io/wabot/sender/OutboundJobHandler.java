package io.wabot.sender;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wabot.config.ConversationConfig;
import io.wabot.config.NumberConfig;
import io.wabot.config.SenderConfig;
import io.wabot.customer.CustomerIdentity;
import io.wabot.observability.Alerts;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import io.wabot.observability.MetricNames;
import io.wabot.queue.Backoff;
import io.wabot.queue.Commit;
import io.wabot.queue.Job;
import io.wabot.queue.JobHandler;
import io.wabot.queue.JobOutcome;
import io.wabot.queue.JobQueue;
import io.wabot.queue.NewJob;
import io.wabot.queue.Queues;
import io.wabot.whatsapp.inbound.InboundJobs;
import io.wabot.whatsapp.outbound.OutboundJob;
import io.wabot.whatsapp.outbound.OutboundJobs;
import io.wabot.whatsapp.outbound.TemplateMessage;
import io.wabot.whatsapp.catalog.CatalogRegistry;
import io.wabot.whatsapp.templates.TemplateRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends outbound jobs ({@link OutboundJobs}) to the Graph API and turns every answer into a queue
 * outcome, following the "Resilience" table of docs/architecture.md:
 *
 * <ul>
 *   <li>accepted: the job is done (acknowledged at once); a job that already holds a {@code wamid} (a status
 *       webhook named it) was accepted before and is acknowledged without sending again</li>
 *   <li>130429: the sending number pauses (every process), honouring {@code Retry-After}; the job waits
 *       without losing an attempt, and the other numbers send on</li>
 *   <li>131056: only this conversation waits</li>
 *   <li>5xx, timeouts, connection errors: retried with the queue's back-off; once the breaker has
 *       opened, jobs wait without losing attempts</li>
 *   <li>131047: the free-form reply is replaced by the approved template for the customer's locale</li>
 *   <li>132001: the template goes out in the next language of the chain</li>
 *   <li>190 / 401: dead letter and the {@code graph_auth_failed} alert naming the number; 131050: the message is dropped and the
 *       opt-out stored for the consent hook; 131062 (the message cannot go to a BSUID): dead letter and the
 *       {@code bsuid_unsupported} alert, no retry; other 4xx: dead letter with Meta's reason</li>
 * </ul>
 *
 * <p>Every job goes out from the business number it names ({@link OutboundJob#number()}, the default number
 * when it names none) through that number's gateway ({@link SendingNumbers}); a job naming a number a
 * reload removed is a dead letter that says so.
 *
 * <p>A message whose earlier attempt may have gone out unrecorded (its process died or lost Redis
 * between Meta's answer and the record, or its request got no answer) is {@linkplain Job#inDoubt() in
 * doubt}: before sending it again, the handler waits up to {@code sender.inDoubtGrace} for a status
 * webhook carrying the job's id ({@code biz_opaque_callback_data}, see {@link InDoubtSends}). If one
 * came, the send is recorded as done without sending; only if none came is it sent again.
 */
public final class OutboundJobHandler implements JobHandler {

  private static final Logger LOG = LoggerFactory.getLogger(OutboundJobHandler.class);
  /** The send's field Meta echoes in status webhooks (at most 512 characters; job ids are far shorter). */
  public static final String CALLBACK_DATA = "biz_opaque_callback_data";
  /** Most requests for one read receipt carried by a reply (see {@link #sendCarriedReceipt}). */
  static final int RECEIPT_TRIES = 5;
  /** Longest a reply's job waits for its carried receipt's request out to be answered before handing it over. */
  private static final Duration RECEIPT_WAIT = Duration.ofSeconds(2);
  /** 0.5 s, 1 s, 2 s, 4 s between them: a read receipt is worth a few tries, not the queue's eight over half an hour. */
  private static final Backoff RECEIPT_BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(4), 0);

  private final Vertx vertx;
  private final JobQueue queue;
  private final SendingNumbers numbers;
  private final SenderConfig config;
  private final ConversationConfig conversation;
  private final InDoubtSends inDoubt;
  private final OutboundPreparation preparation;
  private final MeterRegistry registry;
  private final Function<NumberConfig, TemplateRegistry> templates;
  private final Function<NumberConfig, CatalogRegistry> catalogs;
  /** The labels of the numbers whose token the Graph API refused, until it accepts one of their sends again. */
  private final Set<String> authAlerts = ConcurrentHashMap.newKeySet();
  /** Jobs being handled now (event-loop confined, like the consumer calling this). */
  private int running;

  /**
   * @param conversation where the window template ({@code WINDOW_TEMPLATE_NAME}) and the locale chain
   *                     come from, shared with the conversation engine
   */
  public OutboundJobHandler(Vertx vertx, JobQueue queue, GraphGateway gateway, SenderConfig config,
      ConversationConfig conversation, MeterRegistry registry) {
    this(vertx, queue, gateway, config, conversation, registry, new InDoubtSends(vertx, config.inDoubtGrace()));
  }

  /** @param inDoubt where sends in doubt wait for Meta's status (started by the caller) */
  public OutboundJobHandler(Vertx vertx, JobQueue queue, GraphGateway gateway, SenderConfig config,
      ConversationConfig conversation, MeterRegistry registry, InDoubtSends inDoubt) {
    this(vertx, queue, gateway, config, conversation, registry, inDoubt, OutboundPreparation.NONE);
  }

  /** @param preparation uploads the stored files of {@code StoredMediaMessage}s before they are sent */
  public OutboundJobHandler(Vertx vertx, JobQueue queue, GraphGateway gateway, SenderConfig config,
      ConversationConfig conversation, MeterRegistry registry, InDoubtSends inDoubt, OutboundPreparation preparation) {
    this(vertx, queue, gateway, config, conversation, registry, inDoubt, preparation, new TemplateRegistry(),
        new CatalogRegistry());
  }

  /**
   * @param templates the account's synced templates a template request is checked against before it is sent
   * @param catalog   the catalog's synced retailer ids every product / product list message is checked against
   */
  public OutboundJobHandler(Vertx vertx, JobQueue queue, GraphGateway gateway, SenderConfig config,
      ConversationConfig conversation, MeterRegistry registry, InDoubtSends inDoubt, OutboundPreparation preparation,
      TemplateRegistry templates, CatalogRegistry catalog) {
    this(vertx, queue, SendingNumbers.single(vertx, gateway), config, conversation, registry, inDoubt, preparation,
        number -> templates, number -> catalog);
  }

  /**
   * @param numbers      the gateway of each business number a job may name
   * @param conversation the shared conversation settings; a job's number brings its own ({@link NumberConfig#conversation()})
   * @param templates    the synced templates of a number's business account (null number: a single gateway's)
   * @param catalogs     the synced products of a number's catalog (null number: a single gateway's)
   */
  public OutboundJobHandler(Vertx vertx, JobQueue queue, SendingNumbers numbers, SenderConfig config,
      ConversationConfig conversation, MeterRegistry registry, InDoubtSends inDoubt, OutboundPreparation preparation,
      Function<NumberConfig, TemplateRegistry> templates, Function<NumberConfig, CatalogRegistry> catalogs) {
    this.preparation = preparation;
    this.templates = templates;
    this.catalogs = catalogs;
    this.vertx = vertx;
    this.inDoubt = inDoubt;
    this.registry = registry;
    this.queue = queue;
    this.numbers = numbers;
    this.config = config;
    this.conversation = conversation;
  }

  /**
   * False while every number is held, or while this instance already runs as many jobs as its numbers' windows
   * hold ({@link SendWindow}): the queue then keeps the rest, where another instance or node may take them.
   */
  @Override
  public boolean acceptsWork() {
    return room() > 0 && numbers.anyAccepts();
  }

  /** The jobs this instance may still take: its numbers' windows together, less the jobs it runs. */
  @Override
  public int room() {
    return numbers.inFlightLimit(config.concurrency(), config.maxInFlight()) - running;
  }

  /** A job that uploads a stored file first may take that upload's longest run on top of the send's. */
  @Override
  public Duration maxRunTime(Duration configured) {
    return configured.plus(preparation.longestRun());
  }

  @Override
  public Future<JobOutcome> handle(Job job) {
    running++;
    Future<JobOutcome> outcome;
    try {
      outcome = handleJob(job);
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    return outcome.onComplete(ar -> running--);
  }

  private Future<JobOutcome> handleJob(Job job) {
    if (job.result() != null) {
      Events.info(LOG, "outbound.already_sent", job.correlation().withWamid(job.result()))
          .addKeyValue("job_id", job.id()).log("Already accepted by the Graph API on an earlier attempt; not sending again");
      return job.inDoubt() ? receiptOwedInDoubt(job) : Future.succeededFuture(JobOutcome.done());
    }
    OutboundJob out;
    try {
      out = OutboundJob.decode(job.payload(), job.conversationId());
    } catch (RuntimeException e) {
      return Future.succeededFuture(JobOutcome.deadLetter("unreadable outbound job: " + e.getMessage()));
    }
    Optional<SendingNumbers.Sending> sending = numbers.forJob(out.number());
    if (sending.isEmpty()) {
      String label = numbers.removedLabel(out.number());
      Events.warn(LOG, "outbound.number_removed", job.correlation()).addKeyValue("job_id", job.id())
          .addKeyValue("number", label).log("Not sent: number {} is no longer configured", label);
      return Future.succeededFuture(JobOutcome.deadLetter("number " + label + " is no longer configured"));
    }
    // The receipt and the reply take their throughput slots in one Redis call, the receipt's first.
    return sending.get().gateway().together(() -> {
      CarriedReceipt receipt = out instanceof OutboundJob.Message message && message.receipt() != null
          ? sendCarriedReceipt(job, message, sending.get()) : null;
      Future<JobOutcome> outcome = job.inDoubt() && out instanceof OutboundJob.Message message
          ? settle(job, message, sending.get()) : send(job, out, sending.get());
      return receipt == null ? outcome : outcome.compose(decided -> receipt.durableIfPending(job, decided));
    });
  }

  /**
   * A claim in doubt whose reply Meta's status already shows as sent (the status came before this claim) still owes
   * the read receipt the reply carries: the attempt before it may have died, or lost its lease, before that receipt was
   * accepted or handed over in the reply's acknowledgement. So it is sent here as in {@link #settle}'s case, and
   * handed over to a job of its own if it is not accepted in time. A job that cannot be read or names a number no
   * longer configured is acknowledged as before: its reply is out.
   */
  private Future<JobOutcome> receiptOwedInDoubt(Job job) {
    OutboundJob out;
    try {
      out = OutboundJob.decode(job.payload(), job.conversationId());
    } catch (RuntimeException e) {
      return Future.succeededFuture(JobOutcome.done());
    }
    Optional<SendingNumbers.Sending> sending = numbers.forJob(out.number());
    if (!(out instanceof OutboundJob.Message message) || message.receipt() == null || sending.isEmpty()) {
      return Future.succeededFuture(JobOutcome.done());
    }
    return sendCarriedReceipt(job, message, sending.get()).durableIfPending(job, JobOutcome.done());
  }

  /**
   * A reply's carried receipt while its requests are out. Its retries live in this process's memory, so a reply
   * whose job is done while its receipt still waits for a retry hands the receipt over to a job of its own, in the
   * same commit ({@link #durableIfPending}): a process killed after the reply's acknowledgement can no longer take
   * the receipt with it (a message never marked read). The retries here then stop. A reply put off (held, refused
   * for a passing cause) hands it over too, before its outcome is written: no later claim of the reply sends it.
   */
  private final class CarriedReceipt {
    private final OutboundJob.Message message;
    /** The answer to the request out now, or to the last one (then complete). */
    private Promise<Void> answer = Promise.promise();
    /** Accepted, or given up for good: nothing is left to hand over. */
    private boolean settled;
    private boolean handedOver;

    CarriedReceipt(OutboundJob.Message message) {
      this.message = message;
    }

    /** A request of it goes out (its first, or a retry). */
    void requesting() {
      if (answer.future().isComplete()) {
        answer = Promise.promise();
      }
    }

    /** A request of it was answered: {@code settled} when accepted or given up, not when a retry is to follow. */
    void answered(boolean settled) {
      this.settled |= settled;
      answer.tryComplete();
    }

    /**
     * The reply's outcome, once the receipt's request out now (the first, or a retry already started) is answered:
     * a done job whose receipt is still to be retried also enqueues it as a job of its own (its conversation
     * {@code read:<customer>}, without typing), and the retries here stop. Handing it over while a retry is out
     * would send it twice, that retry and the job.
     */
    Future<JobOutcome> durableIfPending(Job job, JobOutcome decided) {
      // Two seconds at most: a receipt whose request hangs (until the Graph API's timeout) is handed over rather
      // than holding the customer's next reply; if it is accepted after all, the message is marked read twice.
      Future<Boolean> pending = answer.future().timeout(RECEIPT_WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .recover(e -> Future.succeededFuture()).map(v -> !settled);
      if (decided instanceof JobOutcome.Done done) {
        return pending.map(owed -> {
          if (!owed) {
            return decided;
          }
          handOver(job, "sent");
          return JobOutcome.done(done.commit().enqueue(Queues.OUTBOUND, ownJob(job)));
        });
      }
      // The reply is put off and its next claim will not send the receipt (see sendCarriedReceipt): a process that
      // stops or dies before the retries here end would take the receipt with it. There is no commit to ride on, so
      // the receipt's own job is stored now, before the reply's outcome is written, and handed over once stored: if
      // the store fails, the retries here go on (the receipt is lost only if this process dies too); a retry due
      // within that round trip may mark the message read a second time, which shows nothing twice.
      return pending.compose(owed -> !owed ? Future.succeededFuture(decided)
          : queue.enqueue(List.of(ownJob(job))).map(stored -> {
            handOver(job, "put off");
            return decided;
          })).otherwise(decided);
    }

    /** The retries here stand down: the receipt's own job ({@link #ownJob}) sends it. */
    private void handOver(Job job, String reply) {
      handedOver = true;
      Events.info(LOG, "outbound.receipt_handed_over", job.correlation()).addKeyValue("job_id", job.id())
          .log("Reply {} before its read receipt was accepted: the receipt goes on as a job of its own", reply);
    }

    /** The receipt as a job of its own: its conversation {@code read:<customer>}, without typing (the reply may be out). */
    private NewJob ownJob(Job job) {
      return OutboundJobs.job(job.id() + ":receipt", "read:" + message.customerKey(), job.correlation(),
          new OutboundJob.ReadReceipt(message.receiptFor(false).orElseThrow(), message.customerKey(), message.number()));
    }
  }

  /**
   * The read receipt a reply carries ({@link OutboundJobs#reply}) is requested beside the reply, never before it
   * (a Graph round trip on every answer's way) and never as a job of its own (a third of a message's queue work).
   * The job's first claim sends it, and no later one that the first handed back (postponed, retried): it may run
   * in another process while the first one's receipt is still out, and a message read twice would look handled
   * twice. Only a claim in doubt (the one before it died or lost its lease) sends it again. So the first claim sees
   * it through, whatever becomes of the reply: held back (sending paused, breaker open, a missed throughput slot) it
   * asks again when the hold ends, refused for a passing cause (5xx, a timeout) it tries again after a back-off, up
   * to {@link #RECEIPT_TRIES} requests, the later ones without the typing indicator, as the reply may be out by then;
   * and when the reply's outcome is written while a retry is still to come, the receipt goes on as a job of its own
   * ({@link CarriedReceipt#durableIfPending}), so that it outlives this process.
   */
  private CarriedReceipt sendCarriedReceipt(Job job, OutboundJob.Message message, SendingNumbers.Sending from) {
    if (!job.inDoubt() && (job.attempts() > 1 || job.lastError() != null)) {
      return null;
    }
    CarriedReceipt receipt = new CarriedReceipt(message);
    // A claim in doubt (the one before died or lost its lease mid-attempt, and its receipt with it, maybe) sends it
    // again as a later request, without typing: marking a message read twice shows nothing twice; leaving it unread
    // after a crash would show.
    sendReceipt(job, message, from, job.inDoubt() ? 2 : 1, receipt);
    return receipt;
  }

  private void sendReceipt(Job job, OutboundJob.Message message, SendingNumbers.Sending from, int attempt,
      CarriedReceipt receipt) {
    receipt.requesting();
    // A request still waiting for its place or its slot when the reply hands the receipt over (after 2 s) sends
    // nothing: the receipt's own job sends it.
    Future<SendAttempt> sent = from.gateway()
        .send(message.receiptFor(attempt == 1).orElseThrow(), () -> !receipt.handedOver);
    sent.onComplete(ar -> {
      if (ar.succeeded() && ar.result() == GraphGateway.NOT_WANTED) {
        skippedRetry(job);
        return;
      }
      if (ar.succeeded() && ar.result() instanceof SendAttempt.Accepted accepted) {
        receipt.answered(true);
        // Debug, as for a read receipt's own job (below): outbound.sent at info is the reply's, one a message.
        Events.debug(LOG, "outbound.sent", job.correlation()).addKeyValue("job_id", job.id())
            .addKeyValue("number", from.label()).addKeyValue("kind", OutboundJob.KIND_READ)
            .addKeyValue("latency_ms", accepted.latency().toMillis()).addKeyValue("attempt", attempt)
            .log("Read receipt accepted by the Graph API");
        return;
      }
      Duration again;
      String reason;
      if (ar.failed()) {
        again = RECEIPT_BACKOFF.delay(attempt);
        reason = String.valueOf(ar.cause().getMessage());
      } else if (ar.result() instanceof SendAttempt.Held held) {
        again = held.retryIn();
        reason = held.reason();
      } else {
        SendAttempt.Refused refused = (SendAttempt.Refused) ar.result();
        if (refused.action() == ErrorAction.PAUSE_ALL) {
          again = pause(refused.error(), from, job.correlation());
        } else {
          again = refused.action() == ErrorAction.RETRY ? RECEIPT_BACKOFF.delay(attempt) : null;
        }
        reason = refused.error().describe();
      }
      if (again != null && attempt < RECEIPT_TRIES) {
        receipt.answered(false);
        vertx.setTimer(Math.max(1, again.toMillis()), id -> {
          if (!receipt.handedOver) {
            sendReceipt(job, message, from, attempt + 1, receipt);
          } else {
            skippedRetry(job);
          }
        });
      } else {
        receipt.answered(true);
        dropReceipt(job, reason);
      }
    });
  }

  private static void skippedRetry(Job job) {
    Events.info(LOG, "outbound.receipt_retry_skipped", job.correlation()).addKeyValue("job_id", job.id())
        .log("Read receipt not retried here: its own job sends it");
  }

  private Future<JobOutcome> send(Job job, OutboundJob out, SendingNumbers.Sending from) {
    // Stored media files are uploaded first, with the sending number's token; the typed job then carries the body.
    return preparation.prepare(out.body(), from.number(), job.correlation()).transform(prepared -> {
      if (prepared.failed()) {
        return Future.succeededFuture(preparationFailed(prepared.cause()));
      }
      OutboundJob ready = out.withBody(prepared.result());
      // Meta would refuse an id its catalog lacks (131009) after the request; the synced catalog says so now.
      String unknownProduct = ready instanceof OutboundJob.Message m ? catalogs.apply(from.number()).problem(m.body()) : null;
      if (unknownProduct != null) {
        Events.warn(LOG, "outbound.product_unknown", job.correlation()).addKeyValue("job_id", job.id())
            .log("Product message not sent: {}", unknownProduct);
        return Future.succeededFuture(JobOutcome.deadLetter(unknownProduct));
      }
      TemplateRegistry synced = templates.apply(from.number());
      return ready instanceof OutboundJob.Message message && TemplateMessage.isTemplate(message.body()) && synced.synced()
          ? checkedTemplate(job, message, from, synced) : attempt(job, ready, from, new LinkedHashSet<>());
    });
  }

  /**
   * A template request checked against the account's synced templates: in a language the template lacks,
   * it goes out in the first language of the chain it has (what error 132001 would lead to, without the
   * failed request); anything else wrong is a dead letter that says what, instead of Meta's rejection.
   */
  private Future<JobOutcome> checkedTemplate(Job job, OutboundJob.Message message, SendingNumbers.Sending from,
      TemplateRegistry templates) {
    JsonObject body = message.body();
    String name = body.getJsonObject("template").getString("name");
    Set<String> available = templates.languages(name);
    String language = TemplateMessage.languageOf(body);
    OutboundJob.Message toSend = message;
    if (!available.isEmpty() && !available.contains(language)) {
      String other = languageChain(language).stream().filter(available::contains).findFirst().orElse(null);
      if (other != null) {
        Events.info(LOG, "outbound.language_fallback", job.correlation()).addKeyValue("job_id", job.id())
            .addKeyValue("from", language).addKeyValue("to", other)
            .log("Template {} has no {} translation on the account; sending {}", name, language, other);
        toSend = message.withBody(TemplateMessage.inLanguage(body, other));
      }
    }
    String problem = templates.problem(toSend.body());
    if (problem != null) {
      Events.warn(LOG, "outbound.template_invalid", job.correlation()).addKeyValue("job_id", job.id())
          .addKeyValue("template", name).log("Template not sent: {}", problem);
      return Future.succeededFuture(JobOutcome.deadLetter(problem));
    }
    return attempt(job, toSend, from, new LinkedHashSet<>());
  }

  /** A stored file that could not be uploaded: tried again when that may help, else kept as a dead letter. */
  private JobOutcome preparationFailed(Throwable failure) {
    String reason = preparation.reason(failure);
    return preparation.retryable(failure) ? JobOutcome.retry(reason) : JobOutcome.deadLetter(reason);
  }

  /**
   * An earlier attempt may have sent this message without its result being recorded. Meta's status
   * webhook for it carries the job's id: wait for it (a status that arrived before this claim is already
   * in {@link Job#result()}), then send only if none came. (A read receipt is never in doubt here:
   * marking a message read twice shows nothing twice.)
   */
  private Future<JobOutcome> settle(Job job, OutboundJob.Message message, SendingNumbers.Sending from) {
    Events.warn(LOG, "outbound.in_doubt", job.correlation()).addKeyValue("job_id", job.id())
        .addKeyValue("attempt", job.attempts()).addKeyValue("grace_ms", inDoubt.grace().toMillis())
        .log("An earlier attempt may have sent this message unrecorded; waiting for Meta's status before sending again");
    return inDoubt.awaitStatus(job.id()).compose(v -> queue.settleDoubt(job)).compose(result -> {
      if (result.isPresent()) {
        countInDoubt("confirmed", from);
        Events.info(LOG, "outbound.confirmed", job.correlation().withWamid(result.get())).addKeyValue("job_id", job.id())
            .log("Meta's status shows the earlier attempt sent this message; not sending it again");
        return Future.succeededFuture(JobOutcome.done());
      }
      countInDoubt("resent", from);
      Events.warn(LOG, "outbound.resending", job.correlation()).addKeyValue("job_id", job.id())
          .log("No status from Meta within {} ms: sending the message again", inDoubt.grace().toMillis());
      return send(job, message, from);
    });
  }

  private void countInDoubt(String outcome, SendingNumbers.Sending from) {
    registry.counter(MetricNames.SENDS_IN_DOUBT, "outcome", outcome, "number", from.label()).increment();
  }

  /**
   * The stored body, except that a read receipt sent again after a failure loses its typing
   * indicator (by then the reply may be out, and "typing…" under an answer confuses the customer), and
   * a message carries its job id, which Meta echoes in its status webhooks: what settles a send in doubt.
   */
  private static JsonObject bodyToSend(Job job, OutboundJob out) {
    if (out instanceof OutboundJob.ReadReceipt receipt) {
      return job.attempts() > 1 ? receipt.bodyWithoutTyping() : receipt.body();
    }
    return out.body().copy().put(CALLBACK_DATA, job.id());
  }

  private Future<JobOutcome> attempt(Job job, OutboundJob out, SendingNumbers.Sending from, Set<String> triedLanguages) {
    return from.gateway().send(bodyToSend(job, out)).compose(attempt -> {
      if (attempt instanceof SendAttempt.Held held) {
        return Future.succeededFuture(JobOutcome.postpone(held.retryIn(), held.reason()));
      }
      if (attempt instanceof SendAttempt.Accepted accepted) {
        return accepted(job, out, from, accepted.wamid(), accepted.latency());
      }
      SendAttempt.Refused refused = (SendAttempt.Refused) attempt;
      if (refused.action() == ErrorAction.LANGUAGE_FALLBACK && out instanceof OutboundJob.Message message
          && message.template().isPresent()) {
        return nextLanguage(job, message, from, message.template().get(), triedLanguages, refused);
      }
      return markIfUnanswered(job, out, refused).map(v -> failure(job, out, from, refused));
    });
  }

  /**
   * No answer: the request may have reached Meta and the message gone out, so the next attempt must
   * not simply send it again. Recorded before the retry, which ends the lease this needs.
   */
  private Future<Void> markIfUnanswered(Job job, OutboundJob out, SendAttempt.Refused failed) {
    if (!failed.error().isTransport() || !(out instanceof OutboundJob.Message)) {
      return Future.succeededFuture();
    }
    return queue.markInDoubt(job).recover(e -> {
      Events.warn(LOG, "outbound.doubt_unrecorded", job.correlation()).addKeyValue("job_id", job.id())
          .addKeyValue("error", String.valueOf(e.getMessage())).log("Could not mark the unanswered send as in doubt");
      return Future.succeededFuture();
    });
  }

  // ---- success -------------------------------------------------------------------------------------

  private Future<JobOutcome> accepted(Job job, OutboundJob out, SendingNumbers.Sending from, String wamid,
      Duration latency) {
    Correlation correlation = wamid == null ? job.correlation() : job.correlation().withWamid(wamid);
    long receivedAtMs = out instanceof OutboundJob.Message message ? message.receivedAtMs() : 0L;
    if (receivedAtMs > 0) {
      Timer.builder(MetricNames.END_TO_END).description("From webhook receipt to the Graph API accepting a reply")
          .tag("number", from.label()).publishPercentileHistogram().register(registry)
          .record(Math.max(0, System.currentTimeMillis() - receivedAtMs), TimeUnit.MILLISECONDS);
    }
    if (authAlerts.remove(from.label())) {
      Alerts.resolve(vertx.eventBus(), Alerts.GRAPH_AUTH, from.label(), "The Graph API accepts the access token of number "
          + from.label() + " again");
    }
    // A read receipt's acceptance is logged at debug: at info it was a fourth line for every message (a quarter of
    // the log volume shipped to Better Stack) that says nothing an operator acts on; its failures stay at warn.
    boolean receiptSent = out instanceof OutboundJob.ReadReceipt;
    (receiptSent ? Events.debug(LOG, "outbound.sent", correlation) : Events.info(LOG, "outbound.sent", correlation))
        .addKeyValue("job_id", job.id()).addKeyValue("number", from.label())
        .addKeyValue("kind", out.kind()).addKeyValue("latency_ms", latency.toMillis())
        .addKeyValue("attempt", job.attempts())
        .log(receiptSent ? "Read receipt accepted by the Graph API" : "Reply accepted by the Graph API");
    // Done at once: the ack that follows is what makes the send final, one round trip after Meta's answer. (Writing
    // the wamid to the job first, as earlier versions did, only added a round trip before that same ack: a crash
    // before the ack leaves the job open either way, and its next attempt is in doubt, settled by Meta's status.)
    return Future.succeededFuture(JobOutcome.done());
  }

  // ---- failures ------------------------------------------------------------------------------------

  private JobOutcome failure(Job job, OutboundJob out, SendingNumbers.Sending from, SendAttempt.Refused failed) {
    GraphError error = failed.error();
    String reason = error.describe();
    Correlation correlation = job.correlation();
    Events.warn(LOG, "outbound.failed", correlation).addKeyValue("job_id", job.id()).addKeyValue("number", from.label())
        .addKeyValue("action", failed.action().name()).addKeyValue("http_status", error.httpStatus())
        .addKeyValue("code", error.codeTag()).addKeyValue("fbtrace_id", error.fbtraceId())
        .addKeyValue("attempt", job.attempts()).log("Graph API refused: {}", reason);
    return switch (failed.action()) {
      case PAUSE_ALL -> pauseNumber(error, from, correlation);
      case DELAY_CONVERSATION -> JobOutcome.postpone(config.pairRateDelay(), reason);
      case RETRY -> from.gateway().gate().breakerAccepts()
          ? JobOutcome.retry(reason)
          // The breaker opened: the API is down, not this job. Wait without spending an attempt.
          : JobOutcome.postpone(config.breakerOpenFor(), "circuit breaker open; last error: " + reason);
      case LONG_BACKOFF -> JobOutcome.retryAfter(config.longBackoff(), reason);
      case AUTH_FAILURE -> authFailure(job, from, reason);
      case TEMPLATE_FALLBACK -> out instanceof OutboundJob.Message message ? windowFallback(job, message, from, reason)
          : dropReceipt(job, reason);
      case OPTED_OUT -> optedOut(job, out, reason);
      case NEEDS_PHONE_NUMBER -> needsPhoneNumber(job, out, reason);
      case LANGUAGE_FALLBACK, GIVE_UP -> out instanceof OutboundJob.ReadReceipt ? dropReceipt(job, reason)
          : JobOutcome.deadLetter(reason);
    };
  }

  /** 130429: this number's sending pauses; the other numbers' gateways are not touched. */
  private JobOutcome pauseNumber(GraphError error, SendingNumbers.Sending from, Correlation correlation) {
    return JobOutcome.postpone(pause(error, from, correlation), "throughput limit (130429); sending from number "
        + from.label() + " paused");
  }

  /** Pauses the number's sending for Meta's Retry-After (else {@code sender.rateLimitPause}); returns how long. */
  private Duration pause(GraphError error, SendingNumbers.Sending from, Correlation correlation) {
    Duration pause = error.retryAfter() != null && !error.retryAfter().isZero() ? error.retryAfter() : config.rateLimitPause();
    from.gateway().gate().pause(pause, error.describe(), correlation, error.retryAfter() != null);
    return pause;
  }

  /** 190 / 401: this number's token is refused; its replies go to the dead letters, the other numbers send on. */
  private JobOutcome authFailure(Job job, SendingNumbers.Sending from, String reason) {
    authAlerts.add(from.label());
    Alerts.fire(vertx.eventBus(), Alerts.GRAPH_AUTH, from.label(), "The Graph API refuses the access token of number "
            + from.label() + ": rotate its accessToken (whatsapp.numbers, or WHATSAPP_ACCESS_TOKEN), then replay the"
            + " dead letters",
        new JsonObject().put("job_id", job.id()).put("reason", reason));
    return JobOutcome.deadLetter("access token of number " + from.label() + " refused; rotate it and replay: " + reason);
  }

  /**
   * The customer stopped marketing messages (131050): the message is dropped, not retried or
   * dead-lettered (a replay would meet the same refusal), and the opt-out is stored as an inbound job,
   * with this job's ack, for the consent hook to record in the customer's own order.
   */
  private JobOutcome optedOut(Job job, OutboundJob out, String reason) {
    Events.warn(LOG, "outbound.opted_out", job.correlation()).addKeyValue("job_id", job.id())
        .log("The customer stopped marketing messages: message dropped, the consent hook is told");
    return JobOutcome.done(Commit.none().enqueue(Queues.INBOUND,
        InboundJobs.marketingOptOut(job.id(), customerOf(out), reason)));
  }

  /**
   * 131062: this kind of message (authentication templates) needs a phone number and the customer is
   * known by BSUID only. Retrying cannot help, so the message is dead-lettered (visible, replayable once
   * the phone number is known) and the alert tells the operator that a flow sends it to such customers.
   */
  private JobOutcome needsPhoneNumber(Job job, OutboundJob out, String reason) {
    Events.error(LOG, "outbound.bsuid_unsupported", job.correlation()).addKeyValue("job_id", job.id())
        .addKeyValue("type", out.body().getString("type"))
        .log("Meta refused this message for a customer known only by BSUID (131062): it needs a phone number");
    Alerts.fire(vertx.eventBus(), Alerts.BSUID_UNSUPPORTED,
        "A message type that needs a phone number (e.g. an authentication template) was sent to a customer known only"
            + " by BSUID; it went to the dead letters",
        new JsonObject().put("job_id", job.id()));
    return JobOutcome.deadLetter("not deliverable to a business-scoped user id (131062); needs the customer's phone"
        + " number: " + reason);
  }

  /** The customer a job is for; a read receipt knows only their conversation key, not their address. */
  private static CustomerIdentity customerOf(OutboundJob out) {
    return out instanceof OutboundJob.Message message ? message.customer()
        : CustomerIdentity.ofAddress(out.customerKey(), null);
  }

  private JobOutcome dropReceipt(Job job, String reason) {
    Events.warn(LOG, "outbound.read_receipt_dropped", job.correlation()).addKeyValue("job_id", job.id())
        .addKeyValue("reason", reason).log("Read receipt refused; dropped (it has no value later)");
    return JobOutcome.done();
  }

  /**
   * Outside the 24 h window the free-form reply can never go out. The approved window template
   * ({@code WINDOW_TEMPLATE_NAME}, in the language {@code conversation.windowTemplate.languages} gives
   * the customer's locale) goes instead, as a job of its own in the same conversation, stored
   * atomically with this job's acknowledgement. Its id is derived from the inbound message, so the
   * several replies to one message that all meet the closed window produce one template, not one each.
   */
  private JobOutcome windowFallback(Job job, OutboundJob.Message message, SendingNumbers.Sending from, String reason) {
    if (message.forTeam()) {
      // The customers' template makes no sense to the agent; the escalation webhook is the reliable channel.
      Events.warn(LOG, "outbound.team_window_closed", job.correlation()).addKeyValue("job_id", job.id())
          .log("The agent's 24 h window with the business number is closed: team notification dropped"
              + " (ESCALATION_WEBHOOK_URL does not depend on it)");
      return JobOutcome.done();
    }
    if (message.template().isPresent()) {
      return JobOutcome.deadLetter("a template was refused as outside the 24 h window: " + reason);
    }
    // The number's own window template and locales, when it overrides them.
    ConversationConfig conversation = from.number() == null ? this.conversation : from.number().conversation();
    ConversationConfig.WindowTemplate template = conversation.windowTemplate();
    if (!template.configured()) {
      return JobOutcome.deadLetter("outside the 24 h window and no window template is configured"
          + " (WINDOW_TEMPLATE_NAME): " + reason);
    }
    String language = template.languageFor(message.locale(), conversation.defaultLocale());
    String to = message.customer().address();
    String origin = job.correlation().id().isEmpty() ? job.id() : job.correlation().id();
    NewJob fallback = OutboundJobs.job(origin + ":window-template", job.conversationId(), job.correlation(),
        new OutboundJob.Message(new TemplateMessage(to, template.name(), language, List.of()).toJson(),
            job.conversationId(), to, message.locale(), message.receivedAtMs(), false, job.id(), message.number()));
    Events.info(LOG, "outbound.window_fallback", job.correlation()).addKeyValue("job_id", job.id())
        .addKeyValue("template", template.name()).addKeyValue("language", language)
        .log("Outside the 24 h window: sending the approved template instead of the free-form reply");
    return JobOutcome.done(Commit.none().enqueue(Queues.OUTBOUND, fallback));
  }

  /** 132001: the same template in the next language of the chain, sent now; none left: dead letter. */
  private Future<JobOutcome> nextLanguage(Job job, OutboundJob.Message message, SendingNumbers.Sending from,
      TemplateMessage template, Set<String> tried, SendAttempt.Refused failed) {
    String current = template.languageCode();
    tried.add(current);
    String original = tried.iterator().next();
    String next = languageChain(original).stream().filter(l -> !tried.contains(l)).findFirst().orElse(null);
    if (next == null) {
      return Future.succeededFuture(JobOutcome.deadLetter("template \"" + template.name()
          + "\" exists in none of " + tried + ": " + failed.error().describe()));
    }
    Events.info(LOG, "outbound.language_fallback", job.correlation()).addKeyValue("job_id", job.id())
        .addKeyValue("from", current).addKeyValue("to", next)
        .log("Template missing in {}; trying {}", current, next);
    return attempt(job, message.sending(template.inLanguage(next)), from, tried);
  }

  /** {@code es_MX} → {@code es_MX, es, <last resort>}; the last resort is {@code sender.templateFallbackLanguage}. */
  List<String> languageChain(String code) {
    Set<String> chain = new LinkedHashSet<>();
    chain.add(code);
    int cut = code.indexOf('_');
    if (cut > 0) {
      chain.add(code.substring(0, cut));
    }
    chain.add(config.lastResortLanguage());
    return new ArrayList<>(chain);
  }
}
