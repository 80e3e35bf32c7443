package io.wabot.observability.alerts;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.observability.Alerts;
import io.wabot.redis.RedisClients;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The account conditions in Redis, as the alert monitor reads them. */
class AccountHealthTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  Vertx vertx;
  Redis redis;
  AccountHealth health;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    AppConfig config = TestApps.liveConfig(REDIS.url());
    redis = RedisClients.pooled(vertx, config.redis());
    health = new AccountHealth(redis, config.queue());
  }

  @AfterEach
  void stop() {
    redis.close();
    await(vertx.close());
  }

  static AccountHealth.Condition paused(String template, String language, boolean raised) {
    return new AccountHealth.Condition(Alerts.TEMPLATE_UNUSABLE, template + "|" + language, raised, raised ? "PAUSED" : "APPROVED",
        new JsonObject().put("template", template).put("language", language)
            .put("status", raised ? "PAUSED" : "APPROVED").put("reason", "LOW_QUALITY"));
  }

  @Test
  @DisplayName("a condition holds per template and language until Meta clears that one; the alert lists all that hold")
  void perSubject() {
    await(health.apply(List.of(paused("back_in_touch", "en_US", true), paused("back_in_touch", "es_MX", true))));
    Map<String, JsonObject> held = await(health.alerts("back_in_touch")).get(Alerts.TEMPLATE_UNUSABLE);
    assertThat(held).containsOnlyKeys("back_in_touch|en_US", "back_in_touch|es_MX");
    Check firing = AccountHealth.check(Alerts.TEMPLATE_UNUSABLE, held);
    assertThat(firing).isInstanceOfSatisfying(Check.Firing.class, f -> assertThat(f.message())
        .isEqualTo("template back_in_touch (en_US) is PAUSED (LOW_QUALITY); template back_in_touch (es_MX) is PAUSED (LOW_QUALITY)"));

    await(health.apply(List.of(paused("back_in_touch", "en_US", false))));
    assertThat(await(health.alerts("back_in_touch")).get(Alerts.TEMPLATE_UNUSABLE)).containsOnlyKeys("back_in_touch|es_MX");
    await(health.apply(List.of(paused("back_in_touch", "es_MX", false))));
    Map<String, JsonObject> none = await(health.alerts("back_in_touch")).get(Alerts.TEMPLATE_UNUSABLE);
    assertThat(AccountHealth.check(Alerts.TEMPLATE_UNUSABLE, none)).isInstanceOf(Check.Clear.class);
  }

  @Test
  @DisplayName("a template no longer configured as the window template stops alerting; number and account conditions stay")
  void replacedTemplate() {
    AccountHealth.Condition flagged = new AccountHealth.Condition(Alerts.PHONE_QUALITY_LOW, "quality", true, "FLAGGED",
        new JsonObject().put("quality_event", "FLAGGED"));
    await(health.apply(List.of(paused("old_notice", "en_US", true), flagged)));
    Map<String, Map<String, JsonObject>> alerts = await(health.alerts("new_notice"));
    assertThat(alerts.get(Alerts.TEMPLATE_UNUSABLE)).isEmpty();
    assertThat(alerts.get(Alerts.PHONE_QUALITY_LOW)).containsOnlyKeys("quality");
    assertThat(await(health.alerts("old_notice")).get(Alerts.TEMPLATE_UNUSABLE)).containsOnlyKeys("old_notice|en_US");
  }

  @Test
  @DisplayName("nothing raised: every alert is clear")
  void nothingRaised() {
    await(health.apply(List.of()));
    assertThat(await(health.alerts("x"))).containsOnlyKeys(AccountHealth.ALERTS)
        .allSatisfy((alert, conditions) -> assertThat(AccountHealth.check(alert, conditions)).isInstanceOf(Check.Clear.class));
  }
}
