package io.wabot.sender;

import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.customer.CustomerIdentity;
import io.wabot.observability.Correlation;
import io.wabot.queue.ClaimableQueue;
import io.wabot.queue.Commit;
import io.wabot.queue.Job;
import io.wabot.queue.JobOutcome;
import io.wabot.queue.NewJob;
import io.wabot.queue.QueueMaintenanceVerticle;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.sandbox.SimulatedFault;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.webhook.StatusStore;
import io.wabot.whatsapp.inbound.StatusUpdate;
import io.wabot.whatsapp.outbound.MarkAsRead;
import io.wabot.whatsapp.outbound.OutboundJob;
import io.wabot.whatsapp.outbound.OutboundJobs;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The read receipt a reply carries survives the process that first tried it: two "processes" (two Vert.x
 * instances, each with its own Redis client, outbound queue, gateway and handler) share one Redis and one fake
 * Graph API, and the first one is stopped where only its memory knew the receipt was still owed.
 */
class CarriedReceiptRecoveryTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String ANA = "16505551234";

  Vertx meta;
  GraphApiSimulator simulator;
  AppConfig config;
  final List<Node> nodes = new ArrayList<>();

  /** One process: its Vert.x, Redis client, outbound queue, gateway and handler. */
  final class Node {
    final Vertx vertx = Vertx.vertx();
    final Context context = vertx.getOrCreateContext();
    final Redis redis = Redis.createClient(vertx, REDIS.url());
    final RedisJobQueue queue = new RedisJobQueue(vertx, redis, config.queue(), config.redis(), Queues.OUTBOUND);
    final GraphGateway gateway;
    final OutboundJobHandler handler;

    Node() {
      GraphApiClient client = new GraphApiClient(vertx, config.whatsapp(), config.sender().requestTimeout(), 4);
      ThroughputLimiter limiter = new ThroughputLimiter(vertx, redis, Duration.ofSeconds(2),
          "wabot:{bot}:ratelimit:test", 80);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      gateway = new GraphGateway(vertx, client, limiter, config.sender(), "test", "default", registry);
      handler = new OutboundJobHandler(vertx, queue, gateway, config.sender(), config.conversation(), registry);
      nodes.add(this);
    }

    Future<JobOutcome> handle(Job job) {
      return Future.future(p -> context.runOnContext(v -> handler.handle(job).onComplete(p)));
    }

    /** The next job of the outbound queue, claimed with this node's token (polled: the reaper returns it). */
    Job claim(String token) {
      List<Job> got = new ArrayList<>();
      poll("a job to claim").atMost(Duration.ofSeconds(15)).until(() -> {
        ClaimableQueue.Claim claim = await(queue.claim(token, 1));
        if (claim instanceof ClaimableQueue.Batch batch && !batch.jobs().isEmpty()) {
          got.add(batch.jobs().get(0));
          return true;
        }
        return false;
      });
      return got.get(0);
    }

    /** Claims one job, if one is ready, runs it and writes its outcome as the queue's consumer does. */
    void workOne() {
      ClaimableQueue.Claim claim = await(queue.claim("worker", 1));
      if (!(claim instanceof ClaimableQueue.Batch batch) || batch.jobs().isEmpty()) {
        return;
      }
      Job job = batch.jobs().get(0);
      JobOutcome outcome = await(handle(job));
      if (outcome instanceof JobOutcome.Done done) {
        await(queue.ack(job, done.commit()));
      } else if (outcome instanceof JobOutcome.Postpone postpone) {
        await(queue.retry(job, postpone.delay(), postpone.reason(), false, false));
      } else {
        throw new AssertionError("unexpected outcome " + outcome + " for " + job.id());
      }
    }

    /** The surviving node's reaper (expired leases, due retries back to the ready list). */
    void reaper() {
      await(vertx.deployVerticle(new QueueMaintenanceVerticle(config, List.of(Queues.OUTBOUND), new SimpleMeterRegistry())));
    }

    /** kill -9, or the end of a graceful stop: whatever lived only in this process's memory is gone. */
    void die() {
      nodes.remove(this);
      await(vertx.close());
    }
  }

  @BeforeEach
  void start() {
    meta = Vertx.vertx();
    simulator = new GraphApiSimulator(meta, TestApps.ACCESS_TOKEN, TestApps.PHONE_NUMBER_ID);
    await(simulator.listen("127.0.0.1", 0));
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    env.put("WHATSAPP_API_BASE_URL", simulator.baseUrl());
    config = TestApps.config(env, SenderFixture.FAST.copy().mergeIn(new JsonObject()
        .put("queue", new JsonObject().put("lease", "2s").put("reaperInterval", "100ms")), true));
  }

  @AfterEach
  void stop() {
    for (Node node : List.copyOf(nodes)) {
      node.die();
    }
    await(simulator.close());
    await(meta.close());
  }

  /** The first reply of a turn, carrying the read receipt of the customer's message wamid.IN. */
  static NewJob replyWithReceipt() {
    return OutboundJobs.reply("wamid.IN:r0", OutboundMessage.text(ANA, "hi"), "c_ana", Correlation.ofInbound("wamid.IN", ANA),
        "en", 0, null, new MarkAsRead("wamid.IN", true));
  }

  List<RecordedRequest> acceptedReceipts() {
    return simulator.accepted().stream().filter(r -> "read".equals(r.kind())
        && "wamid.IN".equals(r.body().getString("message_id"))).toList();
  }

  /** Whether a Done outcome hands the receipt of wamid.IN over as a job of its own. */
  static boolean handsOverReceipt(JobOutcome outcome) {
    return outcome instanceof JobOutcome.Done done && done.commit().effects().stream()
        .anyMatch(e -> e instanceof Commit.Enqueue en
            && OutboundJob.decode(en.job().payload(), en.job().conversationId()) instanceof OutboundJob.ReadReceipt r
            && "wamid.IN".equals(r.body().getString("message_id")));
  }

  @Test
  @DisplayName("killed after Meta took the reply, before its refused receipt was retried or handed over: the claim in"
      + " doubt, which finds Meta's status already recorded, sends no reply but marks the message read")
  void claimInDoubtAfterTheStatusSendsTheReceipt() {
    Node a = new Node();
    await(a.queue.enqueue(List.of(replyWithReceipt())));
    // Meta refuses the receipt once (a passing 503) and accepts the reply.
    simulator.inject(SimulatedFault.serverError(503).forReadReceipts().times(1));
    Job first = a.claim("node-a");
    JobOutcome decided = await(a.handle(first));
    assertThat(handsOverReceipt(decided)).as("node A would hand the receipt over in the reply's ack").isTrue();
    String wamid = simulator.accepted().stream().filter(r -> !"read".equals(r.kind())).findFirst().orElseThrow().wamid();
    // ... but node A is killed before that ack (the documented kill -9 between Meta's 200 and the record).
    a.die();

    // Meta's status webhook for the reply comes within a second or two, long before the lease (2 s here, 30 s by
    // default) runs out: the webhook records its wamid as the job's result, as StatusStore does.
    Node b = new Node();
    await(new StatusStore(b.redis, config).record(List.of(new StatusUpdate(wamid, StatusUpdate.Status.SENT,
        Instant.now(), CustomerIdentity.ofPhone(ANA), List.of(), "wamid.IN:r0"))));
    b.reaper();
    Job again = b.claim("node-b");
    assertThat(again.inDoubt()).isTrue();
    assertThat(again.result()).isEqualTo(wamid);

    // The outcome comes once the receipt's request is answered: accepted, nothing is left to hand over.
    assertThat(await(b.handle(again))).isEqualTo(JobOutcome.done());
    assertThat(simulator.accepted().stream().filter(r -> !"read".equals(r.kind()))).as("the reply went out once").hasSize(1);
    assertThat(acceptedReceipts()).as("the message marked read").singleElement()
        .satisfies(r -> assertThat(r.body().containsKey("typing_indicator")).isFalse());
  }

  @Test
  @DisplayName("a reply put off on its first claim (its number paused) while its receipt is owed: the process stops"
      + " (a deploy), another sends the reply and marks the message read")
  void replyPutOffThenProcessStops() {
    Node a = new Node();
    // The number is paused by a 130429 (on another reply): Retry-After 2 s.
    simulator.inject(SimulatedFault.throughputLimit(Duration.ofSeconds(2)).times(1));
    NewJob other = OutboundJobs.message("wamid.OTHER:r0", OutboundMessage.text("16505550000", "x"), "c_other",
        Correlation.ofInbound("wamid.OTHER", "16505550000"), "en", 0, null);
    assertThat(await(a.handle(OutboundJobHandlerTest.claimed(other, null)))).isInstanceOf(JobOutcome.Postpone.class);

    await(a.queue.enqueue(List.of(replyWithReceipt())));
    Job first = a.claim("node-a");
    JobOutcome decided = await(a.handle(first));
    assertThat(decided).as("held by the pause").isInstanceOf(JobOutcome.Postpone.class);
    JobOutcome.Postpone postpone = (JobOutcome.Postpone) decided;
    // What node A's consumer writes for it (a postponement: not counted, the attempt closed).
    await(a.queue.retry(first, postpone.delay(), postpone.reason(), false, false));
    assertThat(simulator.requests()).as("only the 130429").hasSize(1);
    // Node A stops (a rolling deploy) while the pause lasts.
    a.die();

    // Node B works the outbound queue as its consumer would, until the reply is out and the message marked read.
    Node b = new Node();
    b.reaper();
    poll("the reply sent and the message marked read").atMost(Duration.ofSeconds(20)).until(() -> {
      b.workOne();
      return !acceptedReceipts().isEmpty() && simulator.accepted().stream().anyMatch(r -> "hi".equals(SenderFixture.marker(r)));
    });
    assertThat(simulator.accepted().stream().filter(r -> "hi".equals(SenderFixture.marker(r)))).as("the reply once").hasSize(1);
    assertThat(acceptedReceipts()).as("marked read once").hasSize(1);
  }
}
