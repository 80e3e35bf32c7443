package io.wabot.conversation;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.wabot.bot.BotRuntime;
import io.wabot.config.AppConfig;
import io.wabot.conversation.consent.ConsentHook;
import io.wabot.conversation.consent.RedisConsentHook;
import io.wabot.customer.CustomerDirectory;
import io.wabot.customer.CustomerIdentity;
import io.wabot.example.sales.SalesBot;
import io.wabot.flows.FlowTokens;
import io.wabot.queue.Commit;
import io.wabot.queue.Job;
import io.wabot.queue.JobOutcome;
import io.wabot.queue.Keyspace;
import io.wabot.queue.NewJob;
import io.wabot.queue.Queues;
import io.wabot.redis.RedisClients;
import io.wabot.testing.TestApps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The conversation engine against a real Redis, without HTTP or queue consumers: each customer
 * message becomes an inbound job, the engine answers it, and the harness applies the commit the way
 * the queue would (keys written to Redis, enqueued jobs collected per queue), so a test reads what the
 * customer would see.
 */
final class ChatHarness implements AutoCloseable {

  static final String AGENT_NUMBER = "5215500000001";

  final Vertx vertx = Vertx.vertx();
  final AppConfig config;
  final MutableClock clock = new MutableClock();
  /** The engine's own registry: a test reads what it counted without the application's. */
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Keyspace keyspace;
  final Redis redis;
  final CustomerDirectory customers;
  final ConversationEngine engine;
  final List<NewJob> outbound = new ArrayList<>();
  final List<NewJob> notify = new ArrayList<>();
  /** Inbound jobs the engine stored for itself (hand-backs, hand-off timers), not yet run. */
  final List<NewJob> pendingInbound = new ArrayList<>();

  ChatHarness(String redisUrl) {
    this(redisUrl, new JsonObject());
  }

  ChatHarness(String redisUrl, JsonObject conversationOverrides) {
    this(redisUrl, conversationOverrides, RedisConsentHook::new);
  }

  /** With a consent hook of the test's own (a policy), built on the harness's Redis. */
  ChatHarness(String redisUrl, JsonObject conversationOverrides, BiFunction<Redis, Keyspace, ConsentHook> consentHook) {
    this(redisUrl, conversationOverrides, consentHook, false);
  }

  /**
   * @param whatsappFlows whether the bot can send WhatsApp Flows (as with {@code WHATSAPP_FLOWS_PRIVATE_KEY}
   *                      set): tokens are issued and checked in the harness's Redis
   */
  ChatHarness(String redisUrl, JsonObject conversationOverrides, BiFunction<Redis, Keyspace, ConsentHook> consentHook,
      boolean whatsappFlows) {
    JsonObject conversation = new JsonObject()
        .put("escalation", new JsonObject().put("webhookUrl", "https://crm.example.com/hooks/handoff")
            .put("agentNumber", AGENT_NUMBER))
        .mergeIn(conversationOverrides, true);
    this.config = TestApps.config(TestApps.liveEnv(redisUrl), new JsonObject().put("conversation", conversation));
    this.keyspace = Keyspace.of(config.queue());
    this.redis = RedisClients.pooled(vertx, config.redis());
    BotParts bot = BotRuntime.of(new SalesBot(), config).conversation(config);
    ConversationSetup setup = await(ConversationSetup.load(vertx, redis, config.conversation(), bot));
    this.customers = new CustomerDirectory(redis, keyspace, config.redis().commandTimeout(), TestApps.PHONE_NUMBER_ID, registry);
    this.engine = new ConversationEngine(config.conversation(), new StateStore(redis, keyspace, config.conversation().stateTtl()),
        consentHook.apply(redis, keyspace), customers, setup, clock, registry,
        config.queue().maxAttempts(), whatsappFlows ? WhatsAppFlows.using(new FlowTokens(redis, config), true) : WhatsAppFlows.off());
  }

  /** A customer who shares their phone number. */
  Customer customer(String waId, String profileName) {
    return new Customer(this, CustomerIdentity.ofPhone(waId), profileName);
  }

  /** A customer with a username whose phone number is hidden: WhatsApp names them by BSUID only. */
  Customer usernameCustomer(String bsuid, String username, String profileName) {
    return new Customer(this, CustomerIdentity.of(bsuid, null, null, username), profileName);
  }

  /** The sender resolved to a conversation key, as the webhook does before storing the message. */
  CustomerIdentity resolve(CustomerIdentity sender) {
    return await(customers.resolve(List.of(CustomerDirectory.sender(sender)))).get(0).customer();
  }

  /** The next job's commit is lost, as when the worker dies between answering and committing. */
  void loseNextCommit() {
    loseNextCommit = true;
  }

  private boolean loseNextCommit;

  /** Runs one inbound job as a consumer would and applies its outcome; returns it. */
  JobOutcome run(NewJob newJob) {
    long now = clock.millis();
    Job job = new Job(newJob.id(), Queues.INBOUND, newJob.conversationId(), newJob.payload(), 1, now, now, null, null);
    JobOutcome outcome = await(engine.handle(job));
    boolean lost = loseNextCommit;
    loseNextCommit = false;
    if (outcome instanceof JobOutcome.Done done && !lost) {
      apply(done.commit());
    }
    return outcome;
  }

  /** Runs the jobs the engine queued for itself (hand-back, timers) until none is due; returns the outcomes. */
  List<JobOutcome> runPendingInbound() {
    List<JobOutcome> outcomes = new ArrayList<>();
    List<NewJob> due = new ArrayList<>(pendingInbound);
    pendingInbound.clear();
    for (NewJob job : due) {
      JobOutcome outcome = run(job);
      outcomes.add(outcome);
      if (outcome instanceof JobOutcome.Postpone) {
        pendingInbound.add(job);
      }
    }
    if (!pendingInbound.isEmpty() && due.stream().anyMatch(j -> !pendingInbound.contains(j))) {
      outcomes.addAll(runPendingInbound());
    }
    return outcomes;
  }

  private void apply(Commit commit) {
    for (Commit.Effect effect : commit.effects()) {
      if (effect instanceof Commit.Put put) {
        Request set = Request.cmd(Command.SET).arg(keyspace.key(put.key())).arg(put.value());
        await(redis.send(put.ttl() == null ? set : set.arg("PX").arg(put.ttl().toMillis())));
      } else if (effect instanceof Commit.Delete delete) {
        await(redis.send(Request.cmd(Command.DEL).arg(keyspace.key(delete.key()))));
      } else if (effect instanceof Commit.Enqueue enqueue) {
        switch (enqueue.queue()) {
          case Queues.OUTBOUND -> outbound.add(enqueue.job());
          case Queues.NOTIFY -> notify.add(enqueue.job());
          case Queues.INBOUND -> pendingInbound.add(enqueue.job());
          default -> throw new IllegalStateException("unexpected queue " + enqueue.queue());
        }
      }
    }
  }

  String get(String relativeKey) {
    Response value = await(redis.send(Request.cmd(Command.GET).arg(keyspace.key(relativeKey))));
    return value == null ? null : value.toString();
  }

  void delete(String relativeKey) {
    await(redis.send(Request.cmd(Command.DEL).arg(keyspace.key(relativeKey))));
  }

  /** WhatsApp messages queued for the agent number. */
  List<JsonObject> agentMessages() {
    return outbound.stream().filter(j -> AGENT_NUMBER.equals(j.payload().getString("to")))
        .map(j -> j.payload().getJsonObject("body")).toList();
  }

  List<JsonObject> teamEvents() {
    return notify.stream().map(j -> j.payload().getJsonObject("event")).toList();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    redis.close();
    await(vertx.close());
  }

  static JsonObject overrides(Map<String, Object> values) {
    return new JsonObject(values);
  }
}
