package io.wabot.sender;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.observability.Correlation;
import io.wabot.observability.MetricNames;
import io.wabot.queue.Commit;
import io.wabot.queue.DeadJob;
import io.wabot.queue.Job;
import io.wabot.queue.JobOutcome;
import io.wabot.queue.JobQueue;
import io.wabot.queue.NewJob;
import io.wabot.queue.QueueStats;
import io.wabot.queue.Queues;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.sandbox.SimulatedFault;
import io.wabot.testing.LogCapture;
import io.wabot.testing.Polling;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.whatsapp.outbound.MarkAsRead;
import io.wabot.whatsapp.outbound.OutboundJob;
import io.wabot.whatsapp.outbound.OutboundJobs;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The handler called directly with claimed jobs, as the queue consumer calls it. */
class OutboundJobHandlerTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String ANA = "16505551234";

  Vertx vertx;
  GraphApiSimulator simulator;
  Redis redis;
  GraphApiClient client;
  GraphGateway gateway;
  RecordingQueue queue;
  SimpleMeterRegistry registry;
  OutboundJobHandler handler;
  AppConfig config;

  /** Records what the handler asks of its queue. */
  static final class RecordingQueue implements JobQueue {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return Queues.OUTBOUND;
    }

    @Override
    public Future<Void> recordResult(Job job, String result) {
      calls.add("recordResult " + job.id() + " " + result);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> pause(Duration duration) {
      calls.add("pause " + duration.toMillis());
      return Future.succeededFuture();
    }

    /** What a status webhook recorded for a job in doubt, as {@link #settleDoubt} reports it. */
    volatile String settledResult;

    @Override
    public Future<Void> markInDoubt(Job job) {
      calls.add("markInDoubt " + job.id());
      return Future.succeededFuture();
    }

    @Override
    public Future<Optional<String>> settleDoubt(Job job) {
      calls.add("settleDoubt " + job.id());
      return Future.succeededFuture(Optional.ofNullable(settledResult));
    }

    @Override
    public Future<List<String>> enqueue(List<NewJob> jobs) {
      jobs.forEach(job -> calls.add("enqueue " + job.id() + " " + job.conversationId()));
      return Future.succeededFuture(jobs.stream().map(NewJob::id).toList());
    }

    @Override
    public Future<Duration> pausedFor() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<QueueStats> stats() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<DeadJob>> deadLetters(int offset, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Optional<DeadJob>> deadLetter(String jobId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Boolean> replay(String jobId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Boolean> deleteDeadLetter(String jobId) {
      throw new UnsupportedOperationException();
    }
  }

  ThroughputLimiter limiter;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    simulator = new GraphApiSimulator(vertx, TestApps.ACCESS_TOKEN, TestApps.PHONE_NUMBER_ID);
    await(simulator.listen("127.0.0.1", 0));
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    env.put("WHATSAPP_API_BASE_URL", simulator.baseUrl());
    config = TestApps.config(env, SenderFixture.FAST);
    redis = Redis.createClient(vertx, REDIS.url());
    client = new GraphApiClient(vertx, config.whatsapp(), config.sender().requestTimeout(), 4);
    registry = new SimpleMeterRegistry();
    limiter = new ThroughputLimiter(vertx, redis, Duration.ofSeconds(2), "wabot:{bot}:ratelimit:test", 80);
    gateway = new GraphGateway(vertx, client, limiter, config.sender(), "test", "default", registry);
    queue = new RecordingQueue();
    handler = new OutboundJobHandler(vertx, queue, gateway, config.sender(), config.conversation(), registry);
  }

  @AfterEach
  void stop() {
    gateway.close();
    client.close();
    redis.close();
    await(simulator.close());
    await(vertx.close());
  }

  static Job claimed(NewJob job, String result) {
    return new Job(job.id(), Queues.OUTBOUND, job.conversationId(), job.payload(), 2, 1_000, 2_000, result, null);
  }

  static NewJob reply(String text, long receivedAtMs) {
    return OutboundJobs.message("wamid.IN:r0", OutboundMessage.text(ANA, text), "c_ana", Correlation.ofInbound("wamid.IN", ANA),
        "en", receivedAtMs, null);
  }

  @Test
  @DisplayName("a sender that uploads stored files first is given the upload's longest run on top of queue.maxRunTime:"
      + " a reply is not started again beside an upload still under way")
  void runTimeCoversAnUpload() {
    OutboundPreparation uploads = new OutboundPreparation() {
      @Override
      public Future<JsonObject> prepare(JsonObject body, Correlation correlation) {
        return Future.succeededFuture(body);
      }

      @Override
      public boolean retryable(Throwable failure) {
        return true;
      }

      @Override
      public Duration longestRun() {
        return Duration.ofMinutes(10);
      }
    };
    OutboundJobHandler uploading = new OutboundJobHandler(vertx, queue, gateway, config.sender(), config.conversation(),
        registry, new InDoubtSends(vertx, config.sender().inDoubtGrace()), uploads);

    assertThat(uploading.maxRunTime(Duration.ofMinutes(2))).isEqualTo(Duration.ofMinutes(12));
    assertThat(handler.maxRunTime(Duration.ofMinutes(2))).as("nothing to upload").isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  @DisplayName("a job that already holds a wamid is acknowledged without a request")
  void alreadySent() {
    JobOutcome outcome = await(handler.handle(claimed(reply("hi", 0), "wamid.EARLIER")));

    assertThat(outcome).isEqualTo(JobOutcome.done());
    assertThat(simulator.requests()).isEmpty();
    assertThat(queue.calls).isEmpty();
  }

  static Job inDoubt(NewJob job) {
    return new Job(job.id(), Queues.OUTBOUND, job.conversationId(), job.payload(), 2, 1_000, 2_000, null, null, true);
  }

  @Test
  @DisplayName("a message in doubt waits for Meta's status; once the status settled it, it is done without a request")
  void inDoubtSettledByStatus() {
    Context context = vertx.getOrCreateContext();
    InDoubtSends inDoubt = new InDoubtSends(vertx, Duration.ofMinutes(1));
    OutboundJobHandler waiting = new OutboundJobHandler(vertx, queue, gateway, config.sender(), config.conversation(),
        registry, inDoubt);
    await(Future.<Void>future(started -> context.runOnContext(v -> inDoubt.start().onComplete(started))));
    Future<JobOutcome> outcome = Future.future(done -> context.runOnContext(v -> waiting.handle(inDoubt(reply("hi", 0)))
        .onComplete(done)));
    queue.settledResult = "wamid.FROM_STATUS";
    InDoubtSends.settled(vertx, "wamid.IN:r0"); // what the webhook publishes; without it the wait lasts a minute

    assertThat(await(outcome)).isEqualTo(JobOutcome.done());
    assertThat(simulator.requests()).isEmpty();
    assertThat(queue.calls).containsExactly("settleDoubt wamid.IN:r0");
    assertThat(registry.get(MetricNames.SENDS_IN_DOUBT).tag("outcome", "confirmed").counter().count()).isEqualTo(1);
  }

  @Test
  @DisplayName("a message in doubt with no status within the grace is sent again; a read receipt is simply sent")
  void inDoubtUnsettled() {
    assertThat(await(handler.handle(inDoubt(reply("hi", 0))))).isEqualTo(JobOutcome.done());
    assertThat(simulator.accepted()).singleElement()
        .satisfies(r -> assertThat(r.body().getString("biz_opaque_callback_data")).isEqualTo("wamid.IN:r0"));
    assertThat(queue.calls).containsExactly("settleDoubt wamid.IN:r0");

    NewJob receipt = OutboundJobs.markAsRead("wamid.IN:read", ANA, new MarkAsRead("wamid.IN", false),
        Correlation.ofInbound("wamid.IN", ANA), null);
    assertThat(await(handler.handle(inDoubt(receipt)))).isEqualTo(JobOutcome.done());
    assertThat(simulator.accepted()).hasSize(2);
    assertThat(simulator.accepted().get(1).body().containsKey("biz_opaque_callback_data")).isFalse();
  }

  @Test
  @DisplayName("a message whose request got no answer is marked in doubt before it is retried")
  void unansweredMarkedInDoubt() {
    simulator.inject(SimulatedFault.noAnswer().times(1));
    JobOutcome outcome = await(handler.handle(claimed(reply("hi", 0), null)));
    assertThat(outcome).isInstanceOf(JobOutcome.RetryLater.class);
    assertThat(queue.calls).containsExactly("markInDoubt wamid.IN:r0");
  }

  @Test
  @DisplayName("on acceptance the job is done at once, with no write before its ack, and the latencies are measured")
  void acceptedIsDone() {
    JobOutcome outcome = await(handler.handle(claimed(reply("hi", System.currentTimeMillis() - 300), null)));

    assertThat(outcome).isEqualTo(JobOutcome.done());
    assertThat(simulator.accepted()).hasSize(1);
    assertThat(queue.calls).as("the ack alone makes the send final: no round trip before it").isEmpty();
    assertThat(registry.get(MetricNames.END_TO_END).timer().count()).isEqualTo(1);
    assertThat(registry.get(MetricNames.END_TO_END).timer().max(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isGreaterThanOrEqualTo(300);
    assertThat(registry.get(MetricNames.GRAPH_REQUESTS).tag("outcome", "accepted").counter().count()).isEqualTo(1);
    assertThat(registry.get(MetricNames.GRAPH_LATENCY).timer().count()).isEqualTo(1);
  }

  @Test
  @DisplayName("a read receipt shows typing on its first attempt only: a retry may come after the reply went out")
  void typingOnlyOnFirstAttempt() {
    NewJob receipt = OutboundJobs.markAsRead("wamid.IN:read", ANA, new MarkAsRead("wamid.IN", true),
        Correlation.ofInbound("wamid.IN", ANA), null);
    Job first = new Job(receipt.id(), Queues.OUTBOUND, receipt.conversationId(), receipt.payload(), 1, 1_000, 2_000, null, null);
    await(handler.handle(first));
    assertThat(simulator.accepted().get(0).body().containsKey("typing_indicator")).isTrue();

    await(handler.handle(claimed(receipt, null)));
    assertThat(simulator.accepted().get(1).body().containsKey("typing_indicator")).isFalse();
    assertThat(simulator.accepted().get(1).body().getString("message_id")).isEqualTo("wamid.IN");
  }

  /** The first reply of a turn, carrying the read receipt of the message it answers (with typing). */
  static NewJob replyWithReceipt(String text) {
    return OutboundJobs.reply("wamid.IN:r0", OutboundMessage.text(ANA, text), "c_ana", Correlation.ofInbound("wamid.IN", ANA),
        "en", 0, null, new MarkAsRead("wamid.IN", true));
  }

  static List<RecordedRequest> receipts(List<RecordedRequest> requests) {
    return requests.stream().filter(r -> "read".equals(r.kind())).toList();
  }

  /** The job's first claim: never claimed before, no earlier outcome. */
  static Job firstClaim(NewJob job) {
    return new Job(job.id(), Queues.OUTBOUND, job.conversationId(), job.payload(), 1, 1_000, 2_000, null, null);
  }

  /** A later claim of the job, after an outcome that handed it back (a postponement keeps the attempt count). */
  static Job handedBack(NewJob job, String lastError) {
    return new Job(job.id(), Queues.OUTBOUND, job.conversationId(), job.payload(), 1, 1_000, 2_000, null, lastError);
  }

  @Test
  @DisplayName("a reply carrying the read receipt requests both at once: the receipt with typing, the reply with its job id")
  void carriedReceipt() {
    assertThat(await(handler.handle(firstClaim(replyWithReceipt("hi"))))).isEqualTo(JobOutcome.done());

    List<RecordedRequest> both = await(simulator.awaitAccepted(2));
    assertThat(receipts(both)).singleElement().satisfies(r -> {
      assertThat(r.body().getString("message_id")).isEqualTo("wamid.IN");
      assertThat(r.body().containsKey("typing_indicator")).isTrue();
    });
    assertThat(both).filteredOn(r -> !"read".equals(r.kind())).singleElement()
        .satisfies(r -> assertThat(r.body().getString("biz_opaque_callback_data")).isEqualTo("wamid.IN:r0"));
    assertThat(queue.calls).as("nothing written before the ack").isEmpty();
  }

  @Test
  @DisplayName("a job handed back sends no second receipt (its first claim sees it through); a claim in doubt sends it again, without typing")
  void carriedReceiptFirstClaimOnly() {
    simulator.inject(SimulatedFault.pairRateLimit().forRecipient(ANA).times(1));
    assertThat(await(handler.handle(firstClaim(replyWithReceipt("hi"))))).isInstanceOf(JobOutcome.Postpone.class);
    assertThat(receipts(await(simulator.awaitAccepted(1)))).as("the first claim's receipt, the reply refused").hasSize(1);

    assertThat(await(handler.handle(handedBack(replyWithReceipt("hi"), "pair rate limit")))).isEqualTo(JobOutcome.done());
    List<RecordedRequest> handedBack = await(simulator.awaitRequests(3));
    assertThat(receipts(handedBack)).as("marked read once").hasSize(1);

    // The claim before died mid-attempt (kill -9): its receipt may never have gone, so this one sends it.
    assertThat(await(handler.handle(inDoubt(replyWithReceipt("hi"))))).isEqualTo(JobOutcome.done());
    List<RecordedRequest> receipts = receipts(await(simulator.awaitRequests(5)));
    assertThat(receipts).hasSize(2);
    assertThat(receipts.get(1).body().containsKey("typing_indicator")).isFalse();
  }

  @Test
  @DisplayName("a reply done while its receipt waits for a retry hands the receipt to a job of its own, in the same commit")
  void carriedReceiptHandedOver() {
    simulator.inject(SimulatedFault.serverError(503).forReadReceipts().times(1));
    LogCapture log = LogCapture.of(OutboundJobHandler.class);

    JobOutcome outcome = await(handler.handle(firstClaim(replyWithReceipt("hi"))));

    // Its retries lived in this process's memory: a kill after the reply's ack would have lost the receipt.
    assertThat(outcome).isInstanceOf(JobOutcome.Done.class);
    List<Commit.Effect> effects = ((JobOutcome.Done) outcome).commit().effects();
    assertThat(effects).singleElement().isInstanceOfSatisfying(Commit.Enqueue.class, e -> {
      assertThat(e.queue()).isEqualTo(Queues.OUTBOUND);
      assertThat(e.job().id()).isEqualTo("wamid.IN:r0:receipt");
      assertThat(e.job().conversationId()).isEqualTo("read:c_ana");
      OutboundJob.ReadReceipt receipt = (OutboundJob.ReadReceipt) OutboundJob.decode(e.job().payload(), e.job().conversationId());
      assertThat(receipt.body().getString("message_id")).isEqualTo("wamid.IN");
      assertThat(receipt.body().containsKey("typing_indicator")).as("the reply is out by then").isFalse();
    });
    // ... and this process no longer retries it: its retry, due after the back-off, is skipped.
    log.await("outbound.receipt_retry_skipped");
    log.close();
    assertThat(simulator.requests()).as("the refused receipt and the reply, nothing more").hasSize(2);
  }

  @Test
  @DisplayName("a reply put off while its receipt waits for a retry stores the receipt as a job of its own before its outcome:"
      + " no later claim of the reply sends it, and this process may stop")
  void carriedReceiptHandedOverWhenPutOff() {
    simulator.inject(SimulatedFault.serverError(503).forReadReceipts().times(1));
    simulator.inject(SimulatedFault.pairRateLimit().forRecipient(ANA).times(1));
    LogCapture log = LogCapture.of(OutboundJobHandler.class);

    JobOutcome outcome = await(handler.handle(firstClaim(replyWithReceipt("hi"))));

    assertThat(outcome).isInstanceOf(JobOutcome.Postpone.class);
    assertThat(queue.calls).containsExactly("enqueue wamid.IN:r0:receipt read:c_ana");
    log.await("outbound.receipt_retry_skipped");
    log.close();
    assertThat(simulator.requests()).as("the refused receipt and the refused reply, nothing more").hasSize(2);
  }

  @Test
  @DisplayName("a claim in doubt whose reply Meta's status already shows as sent sends no reply but still marks the message read")
  void inDoubtAlreadySentSendsItsReceipt() {
    NewJob reply = replyWithReceipt("hi");
    // The claim before died after Meta took the reply, before its receipt was accepted or handed over; the status
    // webhook recorded the reply's wamid before this claim.
    Job again = new Job(reply.id(), Queues.OUTBOUND, reply.conversationId(), reply.payload(), 2, 1_000, 2_000,
        "wamid.EARLIER", null, true);

    assertThat(await(handler.handle(again))).isEqualTo(JobOutcome.done());

    assertThat(simulator.requests()).singleElement().satisfies(r -> {
      assertThat(r.kind()).isEqualTo("read");
      assertThat(r.body().getString("message_id")).isEqualTo("wamid.IN");
      assertThat(r.body().containsKey("typing_indicator")).as("the reply is out").isFalse();
    });
    assertThat(queue.calls).isEmpty();
  }

  @Test
  @DisplayName("a reply done while its receipt's retry is out waits for that retry: accepted, nothing is handed over and the message is marked read once")
  void carriedReceiptRetryOutNotHandedOver() {
    simulator.inject(SimulatedFault.serverError(503).forReadReceipts().times(1));
    simulator.inject(SimulatedFault.delay(Duration.ofMillis(600)).forReadReceipts().times(1));
    simulator.inject(SimulatedFault.delay(Duration.ofMillis(750)).forRecipient(ANA).times(1));

    // The receipt is refused, retried after 0.5 s and answered at about 1.1 s; the reply is accepted at about 0.75 s
    // (the requests' timeout here is 1 s).
    JobOutcome outcome = await(handler.handle(firstClaim(replyWithReceipt("hi"))), Duration.ofSeconds(10));

    assertThat(outcome).isInstanceOfSatisfying(JobOutcome.Done.class,
        done -> assertThat(done.commit().effects()).as("no receipt job in the commit").isEmpty());
    assertThat(receipts(simulator.accepted())).as("marked read once").hasSize(1);
    assertThat(simulator.requests()).as("the refused receipt, its retry and the reply").hasSize(3);
  }

  @Test
  @DisplayName("a request no longer wanted when its throughput slot comes (a receipt retry handed over meanwhile) sends nothing")
  void notWantedWhenItsSlotComes() {
    for (int i = 0; i < 10; i++) {
      await(limiter.reserve()); // the number's next free slot is now some 130 ms away (80 a second)
    }
    java.util.concurrent.atomic.AtomicBoolean wanted = new java.util.concurrent.atomic.AtomicBoolean(true);
    JsonObject receipt = new JsonObject().put("messaging_product", "whatsapp").put("status", "read").put("message_id", "wamid.IN");

    Future<SendAttempt> sent = gateway.send(receipt, wanted::get);
    wanted.set(false);

    assertThat(await(sent)).isSameAs(GraphGateway.NOT_WANTED);
    assertThat(simulator.requests()).isEmpty();
    assertThat(await(gateway.send(receipt, () -> true))).isInstanceOf(SendAttempt.Accepted.class);
  }

  @Test
  @DisplayName("a carried receipt whose request hangs does not hold the reply's job: after 2 s it is handed over")
  void carriedReceiptHangingHandedOver() {
    simulator.inject(SimulatedFault.noAnswer().forReadReceipts().times(1));

    JobOutcome outcome = await(handler.handle(firstClaim(replyWithReceipt("hi"))), Duration.ofSeconds(10));

    assertThat(((JobOutcome.Done) outcome).commit().effects()).singleElement().isInstanceOfSatisfying(Commit.Enqueue.class,
        e -> assertThat(e.job().id()).isEqualTo("wamid.IN:r0:receipt"));
  }

  @Test
  @DisplayName("a reply whose receipt was accepted first commits nothing more")
  void carriedReceiptAcceptedCommitsNothing() {
    assertThat(await(handler.handle(firstClaim(replyWithReceipt("hi"))))).isEqualTo(JobOutcome.done());
    assertThat(receipts(await(simulator.awaitAccepted(2)))).hasSize(1);
  }

  @Test
  @DisplayName("a carried receipt held back with its reply (the number paused) goes on as a job of its own, stored before"
      + " the reply's outcome: the reply's next claim sends none, and this process's retry stands down")
  void carriedReceiptHeld() {
    simulator.inject(SimulatedFault.throughputLimit(Duration.ofMillis(300)).times(1));
    assertThat(await(handler.handle(claimed(reply("first", 0), null)))).isInstanceOf(JobOutcome.Postpone.class);
    LogCapture log = LogCapture.of(OutboundJobHandler.class);
    assertThat(await(handler.handle(firstClaim(replyWithReceipt("hi"))))).as("held by the pause")
        .isInstanceOf(JobOutcome.Postpone.class);
    assertThat(simulator.requests()).as("neither the reply nor its receipt went out during the pause").hasSize(1);
    assertThat(queue.calls).containsExactly("enqueue wamid.IN:r0:receipt read:c_ana");

    // Once the pause is over, the retry this process had planned finds the receipt handed over.
    log.await("outbound.receipt_retry_skipped");
    log.close();
    assertThat(await(handler.handle(handedBack(replyWithReceipt("hi"), "paused")))).isEqualTo(JobOutcome.done());
    assertThat(receipts(simulator.requests())).as("its own job sends it, not this process nor the reply's next claim").isEmpty();
  }

  @Test
  @DisplayName("130429 pauses the number for Retry-After, in Redis too, and postpones the job; while paused nothing is sent")
  void pause() {
    simulator.inject(SimulatedFault.throughputLimit(Duration.ofSeconds(3)).times(1));

    JobOutcome outcome = await(handler.handle(claimed(reply("hi", 0), null)));
    JobOutcome next = await(handler.handle(claimed(reply("again", 0), null)));

    assertThat(outcome).isInstanceOfSatisfying(JobOutcome.Postpone.class,
        p -> assertThat(p.delay()).isEqualTo(Duration.ofSeconds(3)));
    assertThat(queue.calls).as("not the whole queue: other numbers send on").isEmpty();
    assertThat(handler.acceptsWork()).isFalse();
    assertThat(await(limiter.reserve())).as("every process sharing the number's throughput key waits too")
        .isInstanceOfSatisfying(ThroughputLimiter.Full.class, full -> assertThat(full.retryIn()).isGreaterThan(Duration.ofSeconds(2)));
    assertThat(next).isInstanceOf(JobOutcome.Postpone.class);
    assertThat(simulator.requests()).hasSize(1);
    assertThat(registry.get(MetricNames.GRAPH_REQUESTS).tag("outcome", "pause").tag("code", "130429").counter().count())
        .isEqualTo(1);
  }

  @Test
  @DisplayName("5xx is retried with the queue's back-off while the breaker is closed, postponed once it opened")
  void serverErrors() {
    simulator.inject(SimulatedFault.serverError(500));
    List<JobOutcome> outcomes = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 3; i++) {
      outcomes.add(await(handler.handle(claimed(reply("hi", 0), null))));
    }

    assertThat(outcomes.subList(0, 2)).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(JobOutcome.RetryLater.class,
        r -> assertThat(r.delay()).as("the queue's own back-off").isNull()));
    assertThat(outcomes.get(2)).as("the third failure opened the breaker (maxFailures 3)")
        .isInstanceOf(JobOutcome.Postpone.class);
    assertThat(gateway.state().name()).isEqualTo("OPEN");
    assertThat(handler.acceptsWork()).isFalse();
    assertThat(await(handler.handle(claimed(reply("hi", 0), null)))).isInstanceOf(JobOutcome.Postpone.class);
    assertThat(simulator.requests()).as("nothing sent while open").hasSize(3);
  }

  @Test
  @DisplayName("the language chain goes from the locale to its language to the last resort")
  void languageChain() {
    assertThat(handler.languageChain("es_MX")).containsExactly("es_MX", "es", "en_US");
    assertThat(handler.languageChain("de")).containsExactly("de", "en_US");
    assertThat(handler.languageChain("en_US")).containsExactly("en_US", "en");
  }
}
