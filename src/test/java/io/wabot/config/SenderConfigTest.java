package io.wabot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import io.wabot.testing.TestApps;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SenderConfigTest {

  static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>(TestApps.liveEnv("redis://localhost:6379"));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  @DisplayName("the defaults: 80 messages a second, a 5-failure breaker open for 30 s, a 10 s request timeout")
  void defaults() {
    SenderConfig sender = ConfigLoaderAccess.build(env(), new JsonObject()).config().sender();

    assertThat(sender.maxMessagesPerSecond()).isEqualTo(80);
    assertThat(sender.breakerMaxFailures()).isEqualTo(5);
    assertThat(sender.breakerFailureWindow()).isEqualTo(Duration.ofSeconds(10));
    assertThat(sender.breakerOpenFor()).isEqualTo(Duration.ofSeconds(30));
    assertThat(sender.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(sender.rateLimitPause()).isEqualTo(Duration.ofSeconds(10));
    assertThat(sender.pairRateDelay()).isEqualTo(Duration.ofSeconds(6));
    assertThat(sender.lastResortLanguage()).isEqualTo("en_US");
    assertThat(sender.concurrency()).isEqualTo(16);
    assertThat(sender.maxInFlight()).isEqualTo(1000);
  }

  @Test
  @DisplayName("sender.maxInFlight under sender.concurrency is a problem that names both")
  void maxInFlightUnderConcurrency() {
    JsonObject file = new JsonObject("""
        {"sender": {"concurrency": 32, "maxInFlight": 20}}""");

    var problems = catchThrowableOfType(ConfigException.class, () -> ConfigLoaderAccess.build(env(), file)).problems();

    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("sender.maxInFlight: must be at least sender.concurrency (32)"));
  }

  @Test
  @DisplayName("the throughput follows WHATSAPP_MAX_MESSAGES_PER_SECOND when Meta raises it")
  void throughputFromEnv() {
    SenderConfig sender = ConfigLoaderAccess.build(env("WHATSAPP_MAX_MESSAGES_PER_SECOND", "250"), new JsonObject())
        .config().sender();

    assertThat(sender.maxMessagesPerSecond()).isEqualTo(250);
  }

  @Test
  @DisplayName("bad sender settings are reported together, each with an example")
  void problems() {
    JsonObject file = new JsonObject("""
        {"sender": {"concurrency": 0, "breaker": {"openFor": "soon"}, "templateFallbackLanguage": "English"}}""");

    var problems = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoaderAccess.build(env("WHATSAPP_MAX_MESSAGES_PER_SECOND", "500000"), file)).problems();

    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("WHATSAPP_MAX_MESSAGES_PER_SECOND: must be a whole number from 1 to 100000"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("sender.concurrency:"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("sender.breaker.openFor:").contains("\"30s\""));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("sender.templateFallbackLanguage:").contains("en_US"));
  }
}
