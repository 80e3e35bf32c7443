package io.wabot.queue;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

class RedisSettingsWarningTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private QueueHarness harness;

  @BeforeEach
  void capture() {
    logs.start();
    ((Logger) LoggerFactory.getLogger(QueueMaintenanceVerticle.class)).addAppender(logs);
    harness = new QueueHarness(REDIS.url());
  }

  @AfterEach
  void release() {
    ((Logger) LoggerFactory.getLogger(QueueMaintenanceVerticle.class)).detachAppender(logs);
    harness.close();
  }

  private long warnings() {
    return logs.list.stream().filter(e -> e.getFormattedMessage().contains("Redis")
        && e.getLevel() == ch.qos.logback.classic.Level.WARN).count();
  }

  @Test
  @DisplayName("start-up warns when Redis has no AOF or may evict keys, and is quiet when it is set up right")
  void warnsAboutRiskySettings() throws Exception {
    Vertx vertx = harness.process();
    harness.maintenance(vertx);
    Thread.sleep(300);
    assertThat(warnings()).as("AOF on, noeviction").isZero();

    REDIS.server().command("CONFIG", "SET", "appendonly", "no");
    REDIS.server().command("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
    try {
      harness.maintenance(vertx);
      assertThat(TestApps.eventually(() -> warnings() == 2)).isTrue();
      assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("without AOF persistence"));
      assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("allkeys-lru"));
    } finally {
      REDIS.server().command("CONFIG", "SET", "appendonly", "yes");
      REDIS.server().command("CONFIG", "SET", "maxmemory-policy", "noeviction");
    }
  }
}
