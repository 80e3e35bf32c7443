package io.wabot.conversation.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wabot.config.AppConfig;
import io.wabot.queue.Keyspace;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Consent changes reported on the event bus reach the consent hook and its store. */
class ConsentEventsVerticleTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  Vertx vertx;
  String key;
  String marketingKey;

  @BeforeEach
  void deploy() throws Exception {
    AppConfig config = TestApps.liveConfig(REDIS.url());
    Keyspace keyspace = Keyspace.of(config.queue());
    key = keyspace.key("optout:16505551234");
    marketingKey = keyspace.key("optout-marketing:16505551234");
    vertx = Vertx.vertx();
    vertx.deployVerticle(new ConsentEventsVerticle(config)).toCompletionStage().toCompletableFuture().get();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  @DisplayName("a user_preferences stop records a marketing opt-out and resume removes it")
  void preferences() throws Exception {
    vertx.eventBus().publish(ConsentEvents.PREFERENCE, new JsonObject().put("wa_id", "16505551234")
        .put("category", "marketing_messages").put("value", "stop").put("timestamp", 1_700_000_000L));
    assertThat(TestApps.eventually(() -> REDIS.server().command("GET", marketingKey).contains("USER_PREFERENCE"))).isTrue();
    assertThat(REDIS.server().command("GET", marketingKey)).contains("2023-11-14T22:13:20Z");
    vertx.eventBus().publish(ConsentEvents.PREFERENCE, new JsonObject().put("wa_id", "16505551234")
        .put("category", "marketing_messages").put("value", "resume"));
    assertThat(TestApps.eventually(() -> "$-1".equals(REDIS.server().command("GET", marketingKey)))).isTrue();
    assertThat(REDIS.server().command("GET", key)).isEqualTo("$-1");
  }

  @Test
  @DisplayName("error 131050 from the sender records a marketing opt-out")
  void apiError() throws Exception {
    vertx.eventBus().publish(ConsentEvents.OPT_OUT, new JsonObject().put("wa_id", "16505551234").put("reason", "131050"));
    assertThat(TestApps.eventually(() -> REDIS.server().command("GET", marketingKey).contains("API_ERROR"))).isTrue();
  }
}
