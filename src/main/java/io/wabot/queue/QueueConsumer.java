package io.wabot.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.wabot.config.AppConfig;
import io.wabot.config.QueueConfig;
import io.wabot.observability.Events;
import io.wabot.observability.MetricNames;
import java.time.Duration;
import java.util.HashMap;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link JobHandler} over one queue: claims up to {@code concurrency} conversations at a time,
 * keeps their leases alive while the handler works, applies each outcome, and waits for new work on a
 * blocking connection of its own (a blocking command holds its connection, so it is never shared).
 *
 * <p>Everything runs on the event loop of the verticle that started it: no locks, no blocking. When
 * Redis fails, claims stop and resume with exponential back-off; the blocking connection is rebuilt.
 * A job whose outcome cannot be written (Redis down at that moment) is simply left to its lease: it
 * runs again, and handlers make that harmless.
 *
 * <p>Producers in the same process may also hand it new jobs directly ({@link LocalConsumers}): slots it has
 * free are published for them, reserved from any thread, and the jobs leased to it by the storing script run
 * here like claimed ones.
 */
public final class QueueConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);
  private static final int APPLY_TRIES = 3;
  /** Most jobs one claim takes: bounds the time one script holds Redis. */
  private static final int MAX_BATCH = 32;

  private final Vertx vertx;
  private final AppConfig config;
  private final QueueConfig queueConfig;
  private final ClaimableQueue queue;
  private final JobHandler handler;
  private final int concurrency;
  private final String consumerId = UUID.randomUUID().toString();
  private long claims;
  private final Backoff jobBackoff;
  private final Backoff redisBackoff;
  /** By identity: a Job is a record, and its hash would walk the whole payload on every add and remove. */
  private final Set<Job> running = Collections.newSetFromMap(new IdentityHashMap<>());
  /**
   * Jobs this consumer may run besides those running, as it last saw it on its event loop: its free slots, no
   * more than its handler's room (0 while the handler takes no work or the consumer stops).
   */
  private volatile int capacity;
  /**
   * Slots of {@link #capacity} taken and not running yet: by the claim in flight, and by hand-offs reserved from
   * any thread whose jobs have not arrived. Claims and hand-offs both take from it by compare-and-set, so that
   * together they never take more than the capacity.
   */
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicLong handOffs = new AtomicLong();
  private final Counter handedOff;
  /** Slots the claim in flight took from {@link #pending}. */
  private int claimingSlots;

  private final Timer waitTimer;
  private final MeterRegistry registry;
  private final Map<String, OutcomeMeters> outcomeMeters = new HashMap<>();

  /** The meters of one outcome (done, retry, ...), registered once rather than looked up per job. */
  private record OutcomeMeters(Timer runTime, Counter count) {
  }

  private io.vertx.core.Context context;
  private MessageConsumer<Object> workSignal;
  private long pollTimer = -1;
  private boolean claiming;
  private boolean waiting;
  private volatile boolean stopped;
  private boolean retryScheduled;
  private int redisFailures;
  /** Jobs handed back to the ready list whose hand-back Redis has not answered yet. */
  private int givingBack;
  private Promise<Void> drained;
  /** What the first {@link #stop()} returned: later calls get the same. */
  private Future<Void> stopping;

  /** @param registry where the job wait timer and outcome counters are recorded (the application's) */
  public QueueConsumer(Vertx vertx, AppConfig config, ClaimableQueue queue, JobHandler handler, int concurrency,
      MeterRegistry registry) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    this.vertx = vertx;
    this.config = config;
    this.queueConfig = config.queue();
    this.queue = queue;
    this.handler = handler;
    this.concurrency = concurrency;
    this.jobBackoff = new Backoff(queueConfig.backoffInitial(), queueConfig.backoffMax(), queueConfig.backoffJitter());
    this.redisBackoff = new Backoff(config.redis().retryInitial(), config.redis().retryMax(), 0.2);
    this.registry = registry;
    this.waitTimer = Timer.builder(MetricNames.JOB_WAIT).tag("queue", queue.name())
        .description("Time from enqueue to the start of processing").publishPercentileHistogram().register(registry);
    this.handedOff = Counter.builder(MetricNames.JOB_HANDOFFS).tag("queue", queue.name())
        .description("Jobs a producer in this process handed straight to this consumer, without a claim").register(registry);
  }

  /** The queue's keys' prefix: where hand-offs find this consumer ({@link LocalConsumers}). */
  String queueKey() {
    return Keyspace.of(queueConfig).queue(queue.name());
  }

  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    workSignal = vertx.eventBus().consumer(Queues.workAddress(queue.name()), message -> pump());
    pollTimer = vertx.setPeriodic(queueConfig.pollInterval().toMillis(), id -> pump());
    pump();
    return workSignal.completion().onSuccess(v -> LocalConsumers.of(vertx).add(this));
  }

  /** Looks for work now, e.g. when a handler starts accepting work again; safe to call from any thread. */
  public void wake() {
    if (context != null) { // before start() there is nothing to wake: start() looks for work itself
      context.runOnContext(v -> pump());
    }
  }

  /** How many jobs this consumer is running now. */
  public int inFlight() {
    return running.size();
  }

  // ---- claiming ----------------------------------------------------------------------------------

  private void pump() {
    publishCapacity();
    claimIfFree();
  }

  private void claimIfFree() {
    // While blocked on the wake-up list the consumer is woken by Redis itself, one token per conversation
    // made ready: claiming on every work signal as well would send all idle consumers after the same job
    // (every one but the first claims nothing) and leave the token to wake a claim that finds nothing.
    if (stopped || claiming || waiting || retryScheduled) {
      return;
    }
    // One claim takes the jobs of up to all free slots in one round trip, no more than the handler has room for
    // (the capacity pump() has just published: none while every slot is taken or the handler takes no work).
    int free = take(MAX_BATCH);
    if (free < 1) {
      return;
    }
    claiming = true;
    claimingSlots = free;
    // A lease names the claim, not just the consumer: a run that outlived its lease (a Redis
    // partition) cannot complete a later claim of the same job by this same consumer.
    queue.claim(consumerId + ":" + (++claims), free).onComplete(ar -> {
      claiming = false;
      int asked = claimingSlots;
      claimingSlots = 0;
      claimed(ar, asked);
    });
  }

  /**
   * Takes up to {@code most} slots of the capacity for a claim or a hand-off (from any thread); how many it took.
   * Given back by {@link #untake} once the jobs they were for run (or did not come).
   */
  private int take(int most) {
    while (true) {
      int taken = pending.get();
      int slots = Math.min(most, capacity - taken);
      if (slots < 1) {
        return 0;
      }
      if (pending.compareAndSet(taken, taken + slots)) {
        return slots;
      }
    }
  }

  /** Gives slots back, once the jobs they were taken for are counted among the running ones (or never came). */
  private void untake(int slots) {
    publishCapacity();
    pending.addAndGet(-slots);
    completeDrainIfIdle();
  }

  private void claimed(AsyncResult<ClaimableQueue.Claim> ar, int asked) {
    ClaimableQueue.Claim claim = ar.succeeded() ? ar.result() : null;
    if (claim instanceof ClaimableQueue.Batch batch) {
      batch.jobs().forEach(this::runUnlessStopped);
    } else if (claim instanceof ClaimableQueue.Claimed claimed) {
      runUnlessStopped(claimed.job());
    }
    // The claimed jobs now count among the running ones: the slots asked for are given back before anything
    // claims again.
    untake(asked);
    if (ar.failed()) {
      redisFailed("claim", ar.cause());
      return;
    }
    redisRecovered();
    if (claim instanceof ClaimableQueue.Batch batch) {
      if (!batch.drained()) {
        pump();
      } else if (running.size() < concurrency) {
        // The ready list ran out: another claim now would find nothing, so wait for the next token.
        awaitWork();
      }
    } else if (claim instanceof ClaimableQueue.Claimed) {
      pump();
    } else if (claim instanceof ClaimableQueue.Paused paused) {
      long wait = Math.min(paused.remaining().toMillis(), queueConfig.pollInterval().toMillis());
      vertx.setTimer(Math.max(1, wait), id -> pump());
    } else {
      awaitWork();
    }
  }

  /**
   * Publishes what this consumer may still take on (its free slots, within its handler's room), for hand-offs
   * reserved from other threads. Running jobs are counted here; slots taken but not running yet, in {@link #pending}.
   */
  private void publishCapacity() {
    capacity = stopped || !handler.acceptsWork() ? 0 : Math.max(0, Math.min(concurrency - running.size(), handler.room()));
  }

  /** Free slots a hand-off may reserve now; safe from any thread. */
  int freeForHandOff() {
    return stopped ? 0 : capacity - pending.get();
  }

  /** Reserves up to {@code max} free slots for a hand-off, or answers null; safe from any thread. */
  HandOff reserve(int max) {
    int slots = stopped ? 0 : take(max);
    if (slots < 1) {
      return null;
    }
    if (stopped) {
      // stop() began between the check and the take, and may have found nothing pending: the slots go back,
      // and the drain looks again.
      pending.addAndGet(-slots);
      context.runOnContext(v -> completeDrainIfIdle());
      return null;
    }
    return new HandOff(this, consumerId + ":h" + handOffs.incrementAndGet(), slots);
  }

  /**
   * Runs the jobs a hand-off's script leased to this consumer, on this consumer's event loop, and frees the
   * slots it reserved. Once stopping, the jobs are handed back to the queue unstarted instead.
   */
  void adopt(HandOff handOff, List<Job> jobs) {
    context.runOnContext(v -> {
      for (Job job : jobs) {
        if (stopped) {
          giveBack(handOff, job);
        } else {
          queue.adopt(job, handOff.token());
          handedOff.increment();
          run(job);
        }
      }
      // Given back only now that the jobs count among the running ones: a hand-off or claim taking slots meanwhile
      // sees fewer free than there are, never more.
      untake(handOff.slots());
      pump();
    });
  }

  /**
   * A hand-off whose script's answer was lost: those of {@code candidates} it leased to this consumer go back to
   * the ready list unstarted (the others are not leased to it: nothing happens to them), and its slots are freed.
   */
  void recover(HandOff handOff, List<Job> candidates) {
    context.runOnContext(v -> {
      candidates.forEach(job -> giveBack(handOff, job));
      untake(handOff.slots());
      pump();
    });
  }

  /**
   * Returns a job leased to a hand-off to the ready list at once, not started and not counted: no reason recorded,
   * as none of its work was tried (a reply's carried read receipt goes with the first attempt without a last error).
   * If Redis does not answer, the job waits for its lease as a dead process's would.
   */
  private void giveBack(HandOff handOff, Job job) {
    queue.adopt(job, handOff.token());
    giveBack(job);
  }

  /**
   * Runs a claimed job, or, once stopping, gives it back unstarted: started this late, it could still be running
   * when the drain's time is up and be handed back mid-send, to come back in doubt.
   */
  private void runUnlessStopped(Job job) {
    if (stopped) {
      giveBack(job);
    } else {
      run(job);
    }
  }

  /** Returns a job this consumer holds the lease of to the queue, unstarted (see above); counted until answered. */
  private void giveBack(Job job) {
    givingBack++;
    queue.retry(job, Duration.ZERO, "", false, false).onComplete(ar -> context.runOnContext(v -> {
      queue.forget(job);
      givingBack--;
      completeDrainIfIdle();
    }));
  }

  /** Waits for a wake-up token or the poll interval, without holding the event loop. */
  private void awaitWork() {
    if (waiting || stopped) {
      return;
    }
    waiting = true;
    queue.awaitWork(queueConfig.pollInterval()).onComplete(ar -> {
      waiting = false;
      if (stopped) {
        return;
      }
      if (ar.failed()) {
        redisFailed("wait", ar.cause());
      } else {
        pump();
      }
    });
  }

  private void redisFailed(String operation, Throwable cause) {
    redisFailures++;
    Duration delay = redisBackoff.delay(redisFailures);
    if (redisFailures == 1) {
      Events.warn(LOG, "queue.redis_unavailable").addKeyValue("queue", queue.name()).addKeyValue("operation", operation)
          .addKeyValue("error", String.valueOf(cause.getMessage()))
          .log("Redis is not answering; {} consumer retries with back-off", queue.name());
    }
    retryScheduled = true;
    vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
      retryScheduled = false;
      pump();
    });
  }

  private void redisRecovered() {
    if (redisFailures > 0) {
      Events.info(LOG, "queue.redis_recovered").addKeyValue("queue", queue.name())
          .addKeyValue("failures", redisFailures).log("Redis answers again; {} consumer resumes", queue.name());
      redisFailures = 0;
    }
  }

  // ---- running a job -----------------------------------------------------------------------------

  private void run(Job job) {
    running.add(job);
    waitTimer.record(job.queuedMs(), TimeUnit.MILLISECONDS);
    long started = System.nanoTime();
    long heartbeat = vertx.setPeriodic(queueConfig.heartbeatInterval().toMillis(), id -> queue.heartbeat(job)
        .onSuccess(held -> {
          if (!held) {
            Events.warn(LOG, "job.lease_lost", job.correlation()).addKeyValue("queue", queue.name())
                .addKeyValue("job_id", job.id()).log("Lease lost while the job was running; its outcome will be discarded");
          }
        }));
    Future<JobOutcome> outcome;
    try {
      outcome = handler.handle(job);
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    Future<JobOutcome> handled = outcome;
    outcome
        .timeout(handler.maxRunTime(queueConfig.maxRunTime()).toMillis(), TimeUnit.MILLISECONDS)
        .recover(e -> {
          Events.warn(LOG, "job.failed", job.correlation()).setCause(e).addKeyValue("queue", queue.name())
              .addKeyValue("job_id", job.id()).log("Handler failed");
          return Future.succeededFuture(JobOutcome.retry(describe(e)));
        })
        // A handler that outran queue.maxRunTime still runs: what it does outside Redis (a request to the Graph API) is
        // unknown, so its retry leaves the attempt open and the next claim is in doubt (it finds out before sending).
        .compose(decided -> apply(job, decided, 1, !handled.isComplete()))
        .onComplete(ar -> {
          vertx.cancelTimer(heartbeat);
          running.remove(job);
          String result = ar.succeeded() ? ar.result() : "unapplied";
          long tookNanos = System.nanoTime() - started;
          if ("done".equals(result) && LOG.isDebugEnabled()) {
            // Handlers log their own success (inbound.processed, conversation.turn, outbound.sent);
            // failures and retries are logged where they are decided, above.
            Events.debug(LOG, "job.done", job.correlation()).addKeyValue("queue", queue.name())
                .addKeyValue("job_id", job.id()).addKeyValue("attempt", job.attempts())
                .addKeyValue("wait_ms", job.queuedMs()).addKeyValue("duration_ms", TimeUnit.NANOSECONDS.toMillis(tookNanos))
                .log("Job done");
          }
          OutcomeMeters meters = outcomeMeters.computeIfAbsent(result, this::meters);
          meters.runTime().record(tookNanos, TimeUnit.NANOSECONDS);
          meters.count().increment();
          completeDrainIfIdle();
          pump();
        });
  }

  private OutcomeMeters meters(String outcome) {
    return new OutcomeMeters(
        Timer.builder(MetricNames.JOB_RUN).tag("queue", queue.name()).tag("outcome", outcome)
            .publishPercentileHistogram().register(registry),
        Counter.builder(MetricNames.JOB_OUTCOMES).tag("queue", queue.name()).tag("outcome", outcome).register(registry));
  }

  /** Writes an outcome to Redis; returns the outcome's metric name. Retries briefly on a Redis blip. */
  private Future<String> apply(Job job, JobOutcome outcome, int attempt, boolean stillRunning) {
    return write(job, outcome, stillRunning).recover(e -> {
      if (attempt >= APPLY_TRIES || stopped) {
        queue.forget(job);
        Events.warn(LOG, "job.outcome_unwritten", job.correlation()).addKeyValue("queue", queue.name())
            .addKeyValue("job_id", job.id()).addKeyValue("error", String.valueOf(e.getMessage()))
            .log("Could not record the job's outcome; it runs again when its lease expires");
        return Future.failedFuture(e);
      }
      Promise<String> again = Promise.promise();
      vertx.setTimer(redisBackoff.delay(attempt).toMillis() + 1, id -> apply(job, outcome, attempt + 1, stillRunning).onComplete(again));
      return again.future();
    });
  }

  private Future<String> write(Job job, JobOutcome outcome, boolean stillRunning) {
    if (outcome instanceof JobOutcome.Done done) {
      return queue.ack(job, done.commit()).map(applied -> {
        if (!applied) {
          Events.warn(LOG, "job.lease_lost", job.correlation()).addKeyValue("queue", queue.name())
              .addKeyValue("job_id", job.id()).log("Job finished after its lease expired; another consumer owns it now");
          return "lease_lost";
        }
        return "done";
      });
    }
    if (outcome instanceof JobOutcome.RetryLater retry) {
      Duration delay = retry.delay() != null ? retry.delay() : jobBackoff.delay(job.attempts());
      return queue.retry(job, delay, retry.reason(), true, stillRunning)
          .map(result -> logRetry(job, result, delay, retry.reason(), true));
    }
    if (outcome instanceof JobOutcome.Postpone postpone) {
      return queue.retry(job, postpone.delay(), postpone.reason(), false, false)
          .map(result -> logRetry(job, result, postpone.delay(), postpone.reason(), false));
    }
    JobOutcome.DeadLetter dead = (JobOutcome.DeadLetter) outcome;
    return queue.bury(job, dead.reason()).map(buried -> {
      if (!buried) {
        return "lease_lost";
      }
      logDead(job, dead.reason());
      return "dead_letter";
    });
  }

  private String logRetry(Job job, ClaimableQueue.RetryResult result, Duration delay, String reason, boolean counted) {
    switch (result) {
      case DEAD:
        logDead(job, "failed " + job.attempts() + " attempts; last error: " + reason);
        return "dead_letter";
      case LOST:
        return "lease_lost";
      default:
        Events.warn(LOG, counted ? "job.retry" : "job.postponed", job.correlation()).addKeyValue("queue", queue.name())
            .addKeyValue("job_id", job.id()).addKeyValue("attempt", job.attempts())
            .addKeyValue("max_attempts", queueConfig.maxAttempts()).addKeyValue("delay_ms", delay.toMillis())
            .addKeyValue("reason", reason)
            .log(counted ? "Job failed; retrying later" : "Job postponed without counting an attempt");
        return counted ? "retry" : "postpone";
    }
  }

  private void logDead(Job job, String reason) {
    Events.error(LOG, "job.dead_lettered", job.correlation()).addKeyValue("queue", queue.name())
        .addKeyValue("job_id", job.id()).addKeyValue("attempts", job.attempts()).addKeyValue("reason", reason)
        .log("Job moved to the dead-letter queue");
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  // ---- stopping ----------------------------------------------------------------------------------

  /**
   * Stops claiming, lets running jobs finish within its share of the shutdown budget, then hands the rest
   * back to the queue without counting an attempt, so another process takes them at once.
   */
  public Future<Void> stop() {
    if (context != null && Vertx.currentContext() != context) {
      Promise<Void> stoppedHere = Promise.promise();
      context.runOnContext(v -> stop().onComplete(stoppedHere));
      return stoppedHere.future();
    }
    if (stopping == null) {
      stopping = stopNow();
    }
    return stopping;
  }

  private Future<Void> stopNow() {
    stopped = true;
    LocalConsumers.of(vertx).remove(this);
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
    }
    Future<Void> unregistered = workSignal == null ? Future.succeededFuture() : workSignal.unregister();
    Future<Void> waitStopped = queue.stopWaiting();
    drained = Promise.promise();
    completeDrainIfIdle();
    long grace = Math.max(100, config.mode().consumerDrainBudget().toMillis());
    return unregistered
        .compose(v -> drained.future().timeout(grace, TimeUnit.MILLISECONDS).recover(e -> handBack()))
        .eventually(() -> waitStopped.recover(e -> Future.succeededFuture()));
  }

  /**
   * Ends the drain once nothing of this consumer's is under way: no job running, no claim or hand-off whose jobs
   * have not arrived (a store in flight may still lease one to this consumer, which then hands it back), and no
   * hand-back unanswered. Stopping before then would close Redis under them, leaving their jobs to their lease.
   */
  private void completeDrainIfIdle() {
    if (stopped && drained != null && running.isEmpty() && pending.get() == 0 && givingBack == 0) {
      drained.tryComplete();
    }
  }

  private Future<Void> handBack() {
    Future<Void> all = Future.succeededFuture();
    // Running jobs are of different conversations (one lease each), so the order they go back in does not matter.
    for (Job job : List.copyOf(running)) {
      all = all.compose(v -> queue.retry(job, Duration.ZERO, "consumer stopped before finishing", false, true)
          .onSuccess(r -> Events.info(LOG, "job.handed_back", job.correlation()).addKeyValue("queue", queue.name())
              .addKeyValue("job_id", job.id()).log("Running job handed back to the queue at shutdown"))
          .<Void>mapEmpty().recover(e -> Future.succeededFuture()));
    }
    return all;
  }
}
