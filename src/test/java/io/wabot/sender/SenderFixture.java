package io.wabot.sender;

import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.Application;
import io.wabot.observability.Alerts;
import io.wabot.observability.Correlation;
import io.wabot.queue.DeadJob;
import io.wabot.queue.NewJob;
import io.wabot.queue.QueueStats;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.testing.SimulatedGraphApi;
import io.wabot.testing.TestApps;
import io.wabot.testing.WaitableList;
import io.wabot.whatsapp.outbound.OutboundJobs;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The whole service against a test Redis, with the {@link GraphApiSimulator} as the Graph API, and
 * a view from outside: the outbound queue, the simulator's records and the event bus.
 */
final class SenderFixture implements AutoCloseable {

  /** Short delays so that every error path finishes within seconds. */
  static final JsonObject FAST = new JsonObject("""
      {"sender": {"requestTimeout": "1s", "breaker": {"maxFailures": 3, "failureWindow": "10s", "openFor": "2s"},
                  "rateLimitPause": "1s", "pairRateDelay": "1s", "longBackoff": "1s", "inDoubtGrace": "1s"},
       "conversation": {"windowTemplate": {"name": "follow_up"}},
       "queue": {"backoffInitial": "100ms", "backoffMax": "1s", "reaperInterval": "100ms", "pollInterval": "200ms"}}""");

  private final SimulatedGraphApi graph = new SimulatedGraphApi().start();
  final Vertx side = graph.vertx();
  final GraphApiSimulator simulator = graph.simulator();
  final Redis redis;
  final RedisJobQueue outbound;
  final Application app;
  final WaitableList<JsonObject> alerts = new WaitableList<>();
  final WaitableList<JsonObject> breakerChanges = new WaitableList<>();
  final WaitableList<JsonObject> pauses = new WaitableList<>();

  SenderFixture(String redisUrl, JsonObject overrides) {
    this(redisUrl, overrides, simulator -> { });
  }

  /** @param before prepares the simulator (e.g. seeds a catalog) before the service starts and syncs from it */
  SenderFixture(String redisUrl, JsonObject overrides, java.util.function.Consumer<GraphApiSimulator> before) {
    before.accept(simulator);
    Map<String, String> env = TestApps.liveEnv(redisUrl);
    env.put("WHATSAPP_API_BASE_URL", simulator.baseUrl());
    JsonObject config = FAST.copy().mergeIn(overrides, true);
    app = TestApps.start(TestApps.config(env, config));
    app.vertx().eventBus().<JsonObject>consumer(Alerts.ADDRESS, m -> alerts.add(m.body()));
    app.vertx().eventBus().<JsonObject>consumer(SenderStatus.BREAKER_ADDRESS, m -> breakerChanges.add(m.body()));
    app.vertx().eventBus().<JsonObject>consumer(SenderStatus.PAUSE_ADDRESS, m -> pauses.add(m.body()));
    redis = Redis.createClient(side, redisUrl);
    outbound = new RedisJobQueue(side, redis, app.config().queue(), app.config().redis(), Queues.OUTBOUND);
  }

  SenderFixture(String redisUrl) {
    this(redisUrl, new JsonObject());
  }

  /** A text reply job whose body is {@code marker}, as the conversation engine would store it. */
  static NewJob text(String customer, String marker) {
    return reply(customer, marker + ":r0", OutboundMessage.text(customer, marker), "en");
  }

  static NewJob reply(String customer, String jobId, OutboundMessage message, String locale) {
    String inbound = jobId.contains(":") ? jobId.substring(0, jobId.lastIndexOf(':')) : jobId;
    return OutboundJobs.message(jobId, message, "c_" + customer, Correlation.ofInbound(inbound, customer), locale,
        System.currentTimeMillis(), null);
  }

  void enqueue(NewJob... jobs) {
    await(outbound.enqueue(List.of(jobs)));
  }

  void enqueue(List<NewJob> jobs) {
    await(outbound.enqueue(jobs));
  }

  QueueStats stats() {
    return await(outbound.stats());
  }

  List<DeadJob> deadLetters() {
    return await(outbound.deadLetters(0, 1000));
  }

  static String marker(RecordedRequest request) {
    JsonObject text = request.body() == null ? null : request.body().getJsonObject("text");
    return text == null ? null : text.getString("body");
  }

  /** How often each text marker was accepted. */
  Map<String, Long> acceptedByMarker() {
    return simulator.accepted().stream().filter(r -> marker(r) != null)
        .collect(Collectors.groupingBy(SenderFixture::marker, Collectors.counting()));
  }

  boolean drained() {
    QueueStats stats = stats();
    return stats.waiting() == 0 && stats.inFlight() == 0;
  }

  /**
   * Waits for {@code arrived} (e.g. {@code simulator.awaitAccepted(3)}), then for the outbound queue to
   * drain: from then on nothing more can be sent, so what the simulator recorded is final.
   */
  void awaitDrained(Future<?> arrived, Duration timeout) {
    await(arrived, timeout);
    awaitDrained();
  }

  void awaitDrained(Future<?> arrived) {
    awaitDrained(arrived, Duration.ofSeconds(15));
  }

  void awaitDrained() {
    poll("the outbound queue to drain").until(this::drained);
  }

  /** Dead letters live in Redis: polled until there are {@code n}. */
  void awaitDeadLetters(int n) {
    poll(n + " dead letter(s)").until(() -> stats().deadLetters() == n);
  }

  @Override
  public void close() {
    TestApps.stop(app);
    redis.close();
    graph.close();
  }
}
