package io.wabot.queue;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.vertx.core.Vertx;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisSettingsWarningTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  private final LogCapture logs = LogCapture.of(QueueMaintenanceVerticle.class);
  private QueueHarness harness;

  @BeforeEach
  void start() {
    harness = new QueueHarness(REDIS.url());
  }

  @AfterEach
  void release() {
    logs.close();
    harness.close();
  }

  private long warnings() {
    return logs.named("redis.persistence_warning").stream().filter(e -> e.getLevel() == Level.WARN).count();
  }

  @Test
  @DisplayName("start-up warns when Redis has no AOF or may evict keys, and is quiet when it is set up right")
  void warnsAboutRiskySettings() {
    Vertx vertx = harness.process();
    harness.maintenance(vertx);
    // The check logs what it found once it has read both settings: from then on, no warning can follow.
    assertThat(LogCapture.value(logs.await("redis.persistence_checked"), "appendonly")).isEqualTo("yes");
    assertThat(warnings()).as("AOF on, noeviction").isZero();

    REDIS.server().command("CONFIG", "SET", "appendonly", "no");
    REDIS.server().command("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
    try {
      harness.maintenance(vertx);
      assertThat(LogCapture.value(logs.await("redis.persistence_checked", 2).get(1), "maxmemory_policy"))
          .isEqualTo("allkeys-lru");
      assertThat(warnings()).isEqualTo(2);
      assertThat(logs.events()).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("without AOF persistence"));
      assertThat(logs.events()).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("allkeys-lru"));
    } finally {
      REDIS.server().command("CONFIG", "SET", "appendonly", "yes");
      REDIS.server().command("CONFIG", "SET", "maxmemory-policy", "noeviction");
    }
  }
}
