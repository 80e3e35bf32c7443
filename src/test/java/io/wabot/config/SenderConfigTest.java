package io.wabot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import io.wabot.config.SenderConfig.FallbackTemplate;
import io.wabot.testing.TestApps;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
  @DisplayName("the defaults: 80 messages a second, a 5-failure breaker open for 30 s, no fallback template")
  void defaults() {
    SenderConfig sender = ConfigLoaderAccess.build(env(), new JsonObject()).config().sender();

    assertThat(sender.maxMessagesPerSecond()).isEqualTo(80);
    assertThat(sender.breakerMaxFailures()).isEqualTo(5);
    assertThat(sender.breakerOpenFor()).isEqualTo(Duration.ofSeconds(30));
    assertThat(sender.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(sender.fallbackTemplateFor("es_MX")).isEmpty();
    assertThat(sender.lastResortLanguage()).isEqualTo("en_US");
  }

  @Test
  @DisplayName("a locale uses its own template, else its language's, else the default one")
  void templatesByLocale() {
    JsonObject file = new JsonObject("""
        {"sender": {"windowFallback": {"byLocale": {
          "es": {"name": "seguimiento", "language": "es_MX"},
          "pt_BR": {"name": "acompanhamento", "language": "pt_BR"}}}}}""");
    SenderConfig sender = ConfigLoaderAccess.build(env("WHATSAPP_FALLBACK_TEMPLATE", "follow_up",
        "WHATSAPP_MAX_MESSAGES_PER_SECOND", "250"), file).config().sender();

    assertThat(sender.fallbackTemplateFor("es_AR")).contains(new FallbackTemplate("seguimiento", "es_MX"));
    assertThat(sender.fallbackTemplateFor("pt-BR")).contains(new FallbackTemplate("acompanhamento", "pt_BR"));
    assertThat(sender.fallbackTemplateFor("de")).contains(new FallbackTemplate("follow_up", "en_US"));
    assertThat(sender.fallbackTemplateFor(null)).isEqualTo(Optional.of(new FallbackTemplate("follow_up", "en_US")));
    assertThat(sender.maxMessagesPerSecond()).isEqualTo(250);
  }

  @Test
  @DisplayName("bad sender settings are reported together, each with an example")
  void problems() {
    JsonObject file = new JsonObject("""
        {"sender": {"concurrency": 0, "breaker": {"openFor": "soon"},
                    "windowFallback": {"byLocale": {"es": "seguimiento", "fr": {"name": "suivi", "language": "French"}}}}}""");

    var problems = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoaderAccess.build(env("WHATSAPP_MAX_MESSAGES_PER_SECOND", "5000"), file)).problems();

    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("WHATSAPP_MAX_MESSAGES_PER_SECOND: must be a whole number from 1 to 1000"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("sender.concurrency:"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("sender.breaker.openFor:"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("sender.windowFallback.byLocale.es:")
        .contains("{\"name\": \"follow_up\", \"language\": \"es_MX\"}"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("sender.windowFallback.byLocale.fr.language:")
        .contains("en_US"));
  }
}
