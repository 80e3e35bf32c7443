package io.wabot.conversation;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.config.AppConfig;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.testing.CustomerKeys;
import io.wabot.testing.Futures;
import io.wabot.testing.RedisServer;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The conversation DSL over the whole service: customers POST signed webhooks to the running bot, which
 * resolves them through the alias map, queues, answers with the real workers and sends through the
 * real sender to a {@link GraphApiSimulator}; what a customer "hears" is what reached the simulator.
 * A turn is over when the inbound job is acknowledged and every job it caused ({@code <wamid>:*}) has
 * been sent: the test waits for that state in Redis, not for time.
 */
final class WebhookChat implements AutoCloseable {

  final RedisServer redis;
  final Vertx side = Vertx.vertx();
  final GraphApiSimulator graph;
  final Application app;
  final String prefix;

  WebhookChat(RedisServer redis, Map<String, String> extraEnv) {
    this.redis = redis;
    this.graph = new GraphApiSimulator(side, TestApps.ACCESS_TOKEN, TestApps.PHONE_NUMBER_ID);
    Futures.await(graph.listen("127.0.0.1", 0));
    Map<String, String> env = TestApps.liveEnv(redis.url());
    env.put("WHATSAPP_API_BASE_URL", graph.baseUrl());
    env.putAll(extraEnv);
    AppConfig config = TestApps.config(env, new JsonObject().put("queue", new JsonObject()
        .put("pollInterval", "100ms").put("backoffInitial", "50ms").put("backoffMax", "200ms")));
    this.prefix = config.queue().keyPrefix();
    this.app = TestApps.start(config);
  }

  /** A customer who shares their phone number, with their BSUID (as every webhook since April 2026 has). */
  WebhookCustomer customer(String phone, String bsuid, String name) {
    return new WebhookCustomer(this, phone, bsuid, null, name);
  }

  /** A customer with a username and a hidden phone number: only their BSUID reaches the bot. */
  WebhookCustomer usernameCustomer(String bsuid, String username, String name) {
    return new WebhookCustomer(this, null, bsuid, username, name);
  }

  /** POSTs one change of field {@code messages} (or another field) signed; returns the HTTP status. */
  int post(String field, JsonObject value) {
    JsonObject body = new JsonObject().put("object", "whatsapp_business_account").put("entry", new JsonArray()
        .add(new JsonObject().put("id", "102290129340398").put("changes", new JsonArray()
            .add(new JsonObject().put("field", field).put("value", value.put("messaging_product", "whatsapp")
                .put("metadata", new JsonObject().put("display_phone_number", "15550783881")
                    .put("phone_number_id", TestApps.PHONE_NUMBER_ID)))))));
    try {
      return Webhooks.postSigned(app.httpPort(), body).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until the message {@code wamid} is answered: its inbound job acknowledged (not dead-lettered),
   * the inbound jobs it stored for later (an agent's reply or hand-back, {@code <wamid>:reply}; not a
   * hand-off's timer, {@code <wamid>:timer}, which waits for hours) run, and every outbound job they
   * caused sent and acknowledged.
   */
  void awaitHandled(String wamid) {
    poll("the message " + wamid + " answered and the answers sent").atMost(Duration.ofSeconds(20))
        .until(() -> !exists("inbound:job:" + wamid) && count("inbound:job:" + wamid + ":[^t]*") == 0
            && count("outbound:job:" + wamid + ":*") == 0);
    assertThat(exists("inbound:dead:" + wamid)).as("%s dead-lettered", wamid).isFalse();
    assertThat(count("outbound:dead:" + wamid + ":*")).as("replies to %s dead-lettered", wamid).isZero();
  }

  boolean exists(String relativeKey) {
    return ":1".equals(redis.command("EXISTS", prefix + relativeKey));
  }

  long count(String relativePattern) {
    return Long.parseLong(redis.command("EVAL", "return #redis.call('KEYS', ARGV[1])", "0", prefix + relativePattern)
        .substring(1));
  }

  String get(String relativeKey) {
    String value = redis.command("GET", prefix + relativeKey);
    return value == null || value.equals("$-1") ? null : value;
  }

  /** The conversation key the alias map has for a phone number or BSUID. */
  String keyOf(String id) {
    return CustomerKeys.keyOf(redis, prefix, id);
  }

  List<RecordedRequest> requests() {
    return graph.requests();
  }

  String metrics() {
    try {
      return Webhooks.get(app.httpPort(), "/metrics").body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    TestApps.stop(app);
    Futures.await(graph.close());
    Futures.await(side.close());
  }
}
