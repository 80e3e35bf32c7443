package io.wabot.conversation.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.bot.BotRuntime;
import io.wabot.config.AppConfig;
import io.wabot.example.sales.SalesBot;
import io.wabot.numbers.BusinessNumbers;
import io.wabot.observability.Correlation;
import io.wabot.queue.NewJob;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.redis.RedisClients;
import io.wabot.testing.DeadLetters;
import io.wabot.testing.Futures;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TeamWebhook;
import io.wabot.testing.TestApps;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The notify worker sends each hand-off event where the business number it names sends its team's events. */
class NotifyPerNumberTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();
  @RegisterExtension
  final TeamWebhook sharedTeam = new TeamWebhook();
  @RegisterExtension
  final TeamWebhook supportTeam = new TeamWebhook();

  static final String SALES = "209876543210001";
  static final String SUPPORT = "209876543210002";

  Vertx vertx;
  AppConfig config;
  RedisJobQueue notify;

  @BeforeEach
  void start() {
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    env.remove("WHATSAPP_PHONE_NUMBER_ID");
    sharedTeam.addTo(env);
    Map<String, String> support = new HashMap<>();
    supportTeam.addTo(support);
    JsonArray numbers = new JsonArray()
        .add(new JsonObject().put("phoneNumberId", SALES).put("name", "Sales"))
        .add(new JsonObject().put("phoneNumberId", SUPPORT).put("name", "Support").put("conversation", new JsonObject()
            .put("escalation", new JsonObject().put("webhookUrl", support.get("ESCALATION_WEBHOOK_URL")))));
    config = TestApps.config(env, new JsonObject().put("whatsapp", new JsonObject().put("numbers", numbers))
        .put("queue", new JsonObject().put("pollInterval", "50ms")));
    vertx = Vertx.vertx();
    Redis redis = RedisClients.pooled(vertx, config.redis());
    notify = new RedisJobQueue(vertx, redis, config.queue(), config.redis(), Queues.NOTIFY);
    Futures.await(vertx.deployVerticle(NotifyWorker.verticle(config,
        BotRuntime.of(new SalesBot(), config).conversation(config))), Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    Futures.await(vertx.close(), Duration.ofSeconds(30));
  }

  @Test
  @DisplayName("a number with its own escalation webhook gets its events there; the others at the shared one")
  void ownWebhookPerNumber() {
    enqueue("e1", SUPPORT, "Support");
    enqueue("e2", SALES, "Sales");
    enqueue("e3", null, null); // stored before numbers: the default number's
    assertThat(supportTeam.events().awaitSize(1)).singleElement()
        .satisfies(e -> assertThat(e.getString("_delivery")).isEqualTo("e1"));
    assertThat(sharedTeam.events().awaitSize(2)).extracting(e -> e.getString("_delivery")).containsExactlyInAnyOrder("e2", "e3");
    assertThat(supportTeam.events()).hasSize(1);
  }

  @Test
  @DisplayName("an event of a number a reload removed is dead-lettered with the reason")
  void removedNumber() {
    BusinessNumbers numbers = BusinessNumbers.of(vertx, config.whatsapp());
    numbers.replace(numbers.all().stream().filter(n -> !n.phoneNumberId().equals(SUPPORT)).toList());
    assertThat(DeadLetters.reasonOf(() -> enqueue("e4", SUPPORT, "Support"))).isEqualTo("number Support is no longer configured");
  }

  private String enqueue(String id, String number, String label) {
    JsonObject event = new JsonObject().put("event", "handoff.requested").put("customer", new JsonObject().put("key", "c_x"));
    if (number != null) {
      event.put("number", new JsonObject().put("id", number).put("label", label).put("name", label));
    }
    NewJob job = NewJob.of(id, "c_" + id, Correlation.ofInbound(id, "16505551234"), new JsonObject().put("event", event));
    assertThat(Futures.await(notify.enqueue(List.of(job)))).containsExactly(id);
    return id;
  }
}
