package io.wabot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.testing.TestApps;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConversationConfigTest {

  static Map<String, String> env() {
    return TestApps.liveEnv("redis://localhost:6379");
  }

  @Test
  @DisplayName("defaults: 24 h state, 24 h hand-off, no escalation channel, en/es/es_MX")
  void defaults() {
    ConversationConfig config = TestApps.config(env(), new JsonObject()).conversation();
    assertThat(config.stateTtl()).isEqualTo(Duration.ofHours(24));
    assertThat(config.escalation().handoffTimeout()).isEqualTo(Duration.ofHours(24));
    assertThat(config.escalation().notifiesAnyone()).isFalse();
    assertThat(config.locales()).containsExactly("en", "es", "es_MX");
    assertThat(config.windowTemplate().configured()).isFalse();
    assertThat(config.windowTemplate().languages()).containsEntry("es_MX", "es_MX");
  }

  @Test
  @DisplayName("operators set the escalation channels and the agent number is normalised")
  void environment() {
    Map<String, String> env = env();
    env.put("ESCALATION_WEBHOOK_URL", "https://crm.example.com/hook/");
    env.put("ESCALATION_WEBHOOK_SECRET", "team-secret-123");
    env.put("AGENT_WHATSAPP_NUMBER", "+52 1 55 1234 5678");
    env.put("HANDOFF_TIMEOUT", "2h");
    env.put("WINDOW_TEMPLATE_NAME", "conversation_update");
    ConversationConfig config = TestApps.config(env, new JsonObject()).conversation();
    assertThat(config.escalation().webhookUrl()).isEqualTo("https://crm.example.com/hook");
    assertThat(config.escalation().agentNumber()).isEqualTo("5215512345678");
    assertThat(config.escalation().webhookSecret().toString()).doesNotContain("team-secret");
    assertThat(config.escalation().handoffTimeout()).isEqualTo(Duration.ofHours(2));
    assertThat(config.windowTemplate().name()).isEqualTo("conversation_update");
  }

  @Test
  @DisplayName("bad values are reported one line each, with the variable and an example")
  void problems() {
    Map<String, String> env = env();
    env.put("AGENT_WHATSAPP_NUMBER", "call me");
    env.put("ESCALATION_WEBHOOK_URL", "ftp://crm");
    env.put("DEFAULT_LOCALE", "english");
    JsonObject overrides = new JsonObject().put("conversation", new JsonObject()
        .put("locales", new JsonArray().add("en").add("es"))
        .put("misunderstandingThreshold", 0));
    assertThatThrownBy(() -> TestApps.config(env, overrides))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(4).contains(
            "AGENT_WHATSAPP_NUMBER: must be a WhatsApp number in international format, digits only (set in the environment). Example: AGENT_WHATSAPP_NUMBER=5215512345678",
            "DEFAULT_LOCALE: must be a locale like en, es or es_MX, got \"english\" (set in the environment). Example: DEFAULT_LOCALE=en")
            .anySatisfy(p -> assertThat(p).startsWith("ESCALATION_WEBHOOK_URL: must be a URL starting with"))
            .anySatisfy(p -> assertThat(p).startsWith("conversation.misunderstandingThreshold: must be a whole number from 1 to 10")));
  }

  @Test
  @DisplayName("a hand-off longer than the state's lifetime is refused: the bot would forget it and talk over the person")
  void handoffOutlivesState() {
    Map<String, String> env = env();
    env.put("HANDOFF_TIMEOUT", "48h");
    assertThatThrownBy(() -> TestApps.config(env, new JsonObject()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
            .startsWith("HANDOFF_TIMEOUT: must not be longer than conversation.stateTtl (1d)"));
    JsonObject longerState = new JsonObject().put("conversation", new JsonObject().put("stateTtl", "3d"));
    assertThat(TestApps.config(env, longerState).conversation().escalation().handoffTimeout()).isEqualTo(Duration.ofHours(48));
  }

  @Test
  @DisplayName("WHATSAPP_CATALOG_ID names the Meta catalog products are sent from; unset by default; not numeric is one line")
  void catalogId() {
    assertThat(TestApps.config(env(), new JsonObject()).conversation().catalogId()).isNull();
    Map<String, String> env = env();
    env.put("WHATSAPP_CATALOG_ID", "367025965434465");
    assertThat(TestApps.config(env, new JsonObject()).conversation().catalogId()).isEqualTo("367025965434465");
    env.put("WHATSAPP_CATALOG_ID", "my-shop");
    assertThatThrownBy(() -> TestApps.config(env, new JsonObject()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
            .startsWith("WHATSAPP_CATALOG_ID: must be the numeric id of the Meta catalog"));
  }
}
