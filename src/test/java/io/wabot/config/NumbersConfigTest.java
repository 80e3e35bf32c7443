package io.wabot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.testing.TestApps;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NumbersConfigTest {

  private static Map<String, String> listEnv() {
    Map<String, String> env = TestApps.liveEnv("redis://localhost:6379");
    env.remove("WHATSAPP_PHONE_NUMBER_ID");
    env.remove("WHATSAPP_ACCESS_TOKEN");
    env.remove("WHATSAPP_APP_SECRET");
    return env;
  }

  private static JsonObject numbers(JsonObject... entries) {
    JsonArray list = new JsonArray();
    for (JsonObject entry : entries) {
      list.add(entry);
    }
    return new JsonObject().put("whatsapp", new JsonObject().put("numbers", list));
  }

  @Test
  @DisplayName("without a list the single-number settings are a one-entry list, labelled by a short hash of the id")
  void singleNumber() {
    WhatsAppConfig whatsapp = TestApps.config(TestApps.liveEnv("redis://localhost:6379"), new JsonObject()).whatsapp();
    assertThat(whatsapp.numbers()).singleElement().satisfies(number -> {
      assertThat(number.phoneNumberId()).isEqualTo(whatsapp.phoneNumberId());
      assertThat(number.accessToken()).isEqualTo(whatsapp.accessToken());
      assertThat(number.label()).matches("n[0-9a-f]{8}").doesNotContain(whatsapp.phoneNumberId());
      assertThat(number.maxMessagesPerSecond()).isEqualTo(80);
    });
  }

  @Test
  @DisplayName("a list of two numbers from two apps: own tokens, secrets, limits and copy; shared settings filled in")
  void twoNumbers() {
    Map<String, String> env = listEnv();
    env.put("WHATSAPP_APP_SECRET", "shared-app-secret");
    AppConfig config = TestApps.config(env, numbers(
        new JsonObject().put("phoneNumberId", "209876543210987").put("accessToken", "EAAG-sales-token-1234").put("name", "sales"),
        new JsonObject().put("phoneNumberId", "309876543210987").put("accessToken", "EAAG-support-token-5678")
            .put("appSecret", "support-app-secret").put("maxMessagesPerSecond", 250).put("catalogId", "367025965434465")
            .put("conversation", new JsonObject().put("businessName", "Acme Support").put("defaultLocale", "es"))));
    WhatsAppConfig whatsapp = config.whatsapp();
    assertThat(whatsapp.numbers()).extracting(NumberConfig::label).containsExactly("sales", "n" + NumberConfig.labelFor(null, "309876543210987").substring(1));
    NumberConfig sales = whatsapp.number("209876543210987").orElseThrow();
    NumberConfig support = whatsapp.number("309876543210987").orElseThrow();
    assertThat(whatsapp.phoneNumberId()).isEqualTo("209876543210987");
    assertThat(sales.appSecret().value()).isEqualTo("shared-app-secret");
    assertThat(support.appSecret().value()).isEqualTo("support-app-secret");
    assertThat(support.accessToken().value()).isEqualTo("EAAG-support-token-5678");
    assertThat(support.maxMessagesPerSecond()).isEqualTo(250);
    assertThat(sales.conversation().businessName()).isEqualTo(config.conversation().businessName());
    assertThat(support.conversation().businessName()).isEqualTo("Acme Support");
    assertThat(support.conversation().defaultLocale()).isEqualTo("es");
    assertThat(support.conversation().catalogId()).isEqualTo("367025965434465");
    assertThat(sales.conversation().catalogId()).isNull();
    assertThat(support.conversation().stateTtl()).isEqualTo(config.conversation().stateTtl());
  }

  @Test
  @DisplayName("every problem in the list names the entry and the field, one line each")
  void problems() {
    Map<String, String> env = listEnv();
    assertThatThrownBy(() -> TestApps.config(env, numbers(
        new JsonObject().put("phoneNumberId", "209876543210987").put("accessToken", "EAAG-1").put("appSecret", "s1").put("name", "sales"),
        new JsonObject().put("phoneNumberId", "209876543210987").put("accessToken", "EAAG-2").put("appSecret", "s2"),
        new JsonObject().put("phoneNumberId", "+52 55 1234").put("appSecret", "secret-three").put("colour", "red")
            .put("maxMessagesPerSecond", 0)
            .put("conversation", new JsonObject().put("workerInstances", 4).put("businessName", "")
                .put("escalation", new JsonObject().put("webhookUrl", "ftp://crm"))))))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anySatisfy(p -> assertThat(p).startsWith("whatsapp.numbers[1].phoneNumberId: repeats whatsapp.numbers[0]"))
            .anySatisfy(p -> assertThat(p).startsWith("whatsapp.numbers[2].phoneNumberId: must be the numeric id"))
            .anySatisfy(p -> assertThat(p).startsWith("whatsapp.numbers[2].accessToken: is missing and no shared whatsapp.accessToken"))
            .anySatisfy(p -> assertThat(p).startsWith("whatsapp.numbers[2].colour: is not a setting of a number"))
            .anySatisfy(p -> assertThat(p).startsWith("whatsapp.numbers[2].maxMessagesPerSecond: must be a whole number"))
            .anySatisfy(p -> assertThat(p).startsWith("whatsapp.numbers[2].conversation.workerInstances: is shared by every number"))
            .anySatisfy(p -> assertThat(p).startsWith("whatsapp.numbers[2].conversation.escalation.webhookUrl: must be a URL"))
            .allSatisfy(p -> assertThat(p).contains("(set in CONFIG_FILE)").doesNotContain("EAAG-").doesNotContain("secret-three")));
  }

  @Test
  @DisplayName("a list and WHATSAPP_PHONE_NUMBER_ID together is one line: the list names the numbers")
  void listAndSingleNumber() {
    Map<String, String> env = TestApps.liveEnv("redis://localhost:6379");
    assertThatThrownBy(() -> TestApps.config(env, numbers(new JsonObject().put("phoneNumberId", "209876543210987"))))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
            .startsWith("WHATSAPP_PHONE_NUMBER_ID: is set while whatsapp.numbers lists the numbers"));
  }

  @Test
  @DisplayName("the sandbox serves two numbers out of the box, Sales and Support, with their own copy")
  void sandbox() {
    Map<String, String> env = new java.util.HashMap<>(Map.of("SANDBOX", "true", "REDIS_URL", "redis://localhost:6379"));
    WhatsAppConfig whatsapp = TestApps.config(env, new JsonObject()).whatsapp();
    assertThat(whatsapp.numbers()).extracting(NumberConfig::label).containsExactly("Sales", "Support");
    assertThat(whatsapp.phoneNumberId()).isEqualTo(WhatsAppConfig.SANDBOX_PHONE_NUMBER_ID);
    assertThat(whatsapp.numbers().get(1).conversation().businessName()).isEqualTo("Acme Support");
  }
}
