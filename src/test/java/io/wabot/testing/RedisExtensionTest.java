package io.wabot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A test class with {@code @Nested} classes gets one redis-server, not one more per nested class
 * (each extra one used to be orphaned and to outlive {@code mvn verify}).
 */
class RedisExtensionTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static RedisServer started;

  @BeforeAll
  static void remember() {
    started = REDIS.server();
  }

  @Test
  @DisplayName("the class's server runs")
  void runs() {
    assertThat(REDIS.server().isRunning()).isTrue();
  }

  @Nested
  @DisplayName("a nested class")
  class NestedClass {

    @Test
    @DisplayName("shares its outer class's server instead of starting (and orphaning) another")
    void sharesTheServer() {
      assertThat(REDIS.server()).isSameAs(started);
      assertThat(REDIS.server().isRunning()).isTrue();
    }
  }
}
