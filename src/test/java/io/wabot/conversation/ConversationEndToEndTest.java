package io.wabot.conversation;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.config.AppConfig;
import io.wabot.testing.CustomerKeys;
import io.wabot.testing.Http;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.testing.TeamWebhook;
import io.wabot.testing.Webhooks;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole service: a signed webhook goes through the inbound queue and the real queue consumer to
 * the conversation engine, whose replies land in the outbound queue; a hand-off reaches the team's
 * webhook through the notify queue; the admin endpoint hands the conversation back.
 */
class ConversationEndToEndTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String CUSTOMER = "16505551234";
  static final String ADMIN_TOKEN = "admin-token-for-tests-0001";

  @RegisterExtension
  final TeamWebhook team = new TeamWebhook();
  Application app;
  String prefix;

  @BeforeEach
  void start() throws Exception {
    team.refuseNext(1); // the team's system hiccups once: delivery must retry
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    env.put("ADMIN_TOKEN", ADMIN_TOKEN);
    team.addTo(env);
    AppConfig config = TestApps.config(env, new JsonObject().put("queue", new JsonObject()
        .put("pollInterval", "200ms").put("reaperInterval", "100ms").put("backoffInitial", "50ms").put("backoffMax", "200ms")));
    prefix = config.queue().keyPrefix();
    app = TestApps.start(config);
  }

  @AfterEach
  void stop() throws Exception {
    TestApps.stop(app);
  }

  boolean outboundJob(String id) {
    return "1".equals(REDIS.server().command("EXISTS", prefix + "outbound:job:" + id).replace(":", ""));
  }

  String outboundBody(String id) {
    return REDIS.server().command("HGET", prefix + "outbound:job:" + id, "payload");
  }

  String say(String text) throws Exception {
    String wamid = Webhooks.newWamid();
    assertThat(Webhooks.postSigned(app.httpPort(), Webhooks.text(wamid, CUSTOMER, text)).statusCode()).isEqualTo(200);
    return wamid;
  }

  @Test
  @DisplayName("a customer's hello becomes a menu in the outbound queue, carrying the hello's read receipt")
  void hello() throws Exception {
    String wamid = say("hi");
    poll("the menu queued").until(() -> outboundJob(wamid + ":r0"));
    assertThat(outboundBody(wamid + ":r0")).contains("Browse products", "Talk to a person");
    JsonObject receipt = new JsonObject(outboundBody(wamid + ":r0")).getJsonObject("receipt");
    assertThat(receipt.getString("message_id")).as("the read receipt rides on the reply").isEqualTo(wamid);
    assertThat(outboundJob(wamid + ":read")).as("no job of its own for the receipt").isFalse();
    assertThat(REDIS.server().command("GET", prefix + "state:" + customerKey())).contains("\"step\":\"menu\"");
  }

  @Test
  @DisplayName("a hand-off reaches the team's webhook, signed and retried; the admin endpoint hands it back")
  void handoffAndHandback() throws Exception {
    say("hi");
    String request = say("I want to talk to a person");
    JsonObject event = team.events().awaitSize(1, Duration.ofSeconds(15)).get(0);
    assertThat(event.getString("event")).isEqualTo("handoff.requested");
    assertThat(event.getJsonObject("customer").getString("waId")).isEqualTo(CUSTOMER);
    assertThat(event.getString("_delivery")).isEqualTo(request + ":notify");
    assertThat(team.signaturesValid()).containsOnly(true);

    String quiet = say("hello?");
    // The read receipt is queued in the same commit as any reply: once it is there, no reply can follow.
    poll("the read receipt queued").until(() -> outboundJob(quiet + ":read"));
    assertThat(outboundJob(quiet + ":r0")).isFalse();

    assertThat(admin("/admin/conversations/" + CUSTOMER + "/handback", "wrong-token").statusCode()).isEqualTo(401);
    HttpResponse<String> handback = admin("/admin/conversations/" + CUSTOMER + "/handback", ADMIN_TOKEN);
    assertThat(handback.statusCode()).isEqualTo(202);
    assertThat(new JsonObject(handback.body()).getString("escalationId")).isEqualTo(request);
    poll("the escalation cleared").until(() -> !REDIS.server().command("GET", prefix + "state:" + customerKey()).contains("escalationId"));
    team.events().await(e -> "handoff.ended".equals(e.getString("event")));
    assertThat(admin("/admin/conversations/" + CUSTOMER + "/handback", ADMIN_TOKEN).statusCode()).isEqualTo(409);
  }

  String customerKey() {
    return CustomerKeys.keyOf(REDIS.server(), prefix, CUSTOMER);
  }

  HttpResponse<String> admin(String path, String token) throws Exception {
    return Http.call(app.httpPort(), "POST", path, null, "Authorization", "Bearer " + token);
  }

  static Buffer buffer(String s) {
    return Buffer.buffer(s);
  }
}
