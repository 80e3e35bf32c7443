package io.wabot.whatsapp.templates;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.wabot.config.Secret;
import io.wabot.config.WhatsAppConfig;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.whatsapp.outbound.TemplateMessage;
import io.wabot.whatsapp.outbound.TemplateMessage.Component;
import io.wabot.whatsapp.outbound.TemplateMessage.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The account's templates synced from the simulated Graph API (Meta's list shape and paging), and the checks against them. */
@ExtendWith(VertxExtension.class)
class TemplateRegistryTest {

  static final String TOKEN = "sim-token";
  static final String WABA = "102290129340398";
  static final String TO = "16505551234";

  GraphApiSimulator simulator;
  TemplateRegistry registry = new TemplateRegistry();
  TemplateSync sync;

  static JsonObject template(String name, String language, String status, String components) {
    return new JsonObject().put("name", name).put("language", language).put("status", status).put("category", "UTILITY")
        .put("components", new io.vertx.core.json.JsonArray(components));
  }

  /** The extension closes this Vert.x, and with it the simulator and the sync's client, after each test. */
  @BeforeEach
  void start(Vertx vertx) {
    simulator = new GraphApiSimulator(vertx, TOKEN, "106540352242922");
    await(simulator.listen("127.0.0.1", 0));
    List<JsonObject> account = new ArrayList<>(IntStream.range(0, 150)
        .mapToObj(i -> template("promo_" + i, "en_US", "APPROVED", "[{\"type\":\"BODY\",\"text\":\"Deal {{1}}\"}]")).toList());
    account.add(template("order_shipped", "en_US", "APPROVED", """
        [{"type":"HEADER","format":"IMAGE"},
         {"type":"BODY","text":"Hi {{1}}, order {{2}} is on its way."},
         {"type":"BUTTONS","buttons":[{"type":"URL","text":"Track","url":"https://shop.example.com/t/{{1}}"},
                                      {"type":"QUICK_REPLY","text":"Stop"}]}]"""));
    account.add(template("order_shipped", "es", "APPROVED", "[{\"type\":\"BODY\",\"text\":\"Hola {{1}}\"}]"));
    account.add(template("welcome", "en_US", "APPROVED", """
        [{"type":"BODY","text":"Hi {{first_name}}, your code is {{code}}."},
         {"type":"BUTTONS","buttons":[{"type":"COPY_CODE","example":"ABC"}]}]"""));
    account.add(template("old_promo", "en_US", "PAUSED", "[{\"type\":\"BODY\",\"text\":\"Sale\"}]"));
    simulator.templates(account);
    sync = new TemplateSync(vertx, config(TOKEN), WABA, registry);
  }

  WhatsAppConfig config(String token) {
    return new WhatsAppConfig(new Secret(token), "106540352242922", new Secret("app-secret"), new Secret("verify"),
        simulator.baseUrl(), "v23.0");
  }

  JsonObject request(String name, String language, Component... components) {
    return new TemplateMessage(TO, name, language, List.of(components)).toJson();
  }

  @Test
  @DisplayName("a sync reads every page of message_templates; before it, nothing is known and everything passes")
  void syncsAllPages() {
    assertThat(registry.problem(request("anything", "en_US"))).isNull();

    List<JsonObject> synced = await(sync.sync());

    assertThat(synced).hasSize(154).as("150 + 4: two pages of 100").extracting(t -> t.getString("name")).contains("promo_149", "welcome");
    assertThat(registry.synced()).isTrue();
    assertThat(registry.size()).isEqualTo(154);
    assertThat(registry.languages("order_shipped")).containsExactly("en_US", "es");
  }

  @Test
  @DisplayName("a template that matches an APPROVED one passes; unknown, untranslated, not approved or short of parameters is named")
  void checks() {
    await(sync.sync());

    assertThat(registry.problem(request("order_shipped", "en_US", Component.header(Parameter.image("https://cdn.example.com/box.png")),
        Component.body(Parameter.text("Ana"), Parameter.text("#4521")), Component.urlButton(0, "4521")))).isNull();
    assertThat(registry.problem(request("welcome", "en_US", Component.body(Parameter.named("first_name", "Ana"),
        Parameter.named("code", "X1")), Component.copyCodeButton(0, "X1")))).isNull();

    assertThat(registry.problem(request("order_cancelled", "en_US")))
        .isEqualTo("template \"order_cancelled\" is not on the WhatsApp Business Account (154 templates synced)");
    assertThat(registry.problem(request("order_shipped", "fr")))
        .isEqualTo("template \"order_shipped\" has no fr translation; it exists in [en_US, es]");
    assertThat(registry.problem(request("old_promo", "en_US"))).isEqualTo("template \"old_promo\" (en_US) is PAUSED, not APPROVED");
    assertThat(registry.problem(request("order_shipped", "en_US", Component.header(Parameter.video("https://cdn.example.com/a.mp4")),
        Component.body(Parameter.text("Ana")))))
        .contains("needs a image header parameter, not video")
        .contains("body takes 2 parameters; 1 given")
        .contains("button 0 (url) needs a parameter");
    assertThat(registry.problem(request("welcome", "en_US", Component.body(Parameter.named("first_name", "Ana")),
        Component.copyCodeButton(0, "X1"))))
        .isEqualTo("template \"welcome\" body takes the named parameters [code, first_name]; given [first_name]");
  }

  @Test
  @DisplayName("a failed sync (here a revoked token) keeps the list of the last good one")
  void failedSyncKeepsList(Vertx vertx) {
    await(sync.sync());
    TemplateSync revoked = new TemplateSync(vertx, config("revoked-token"), WABA, registry);
    simulator.templates(List.of());

    assertThat(await(revoked.sync().otherwiseEmpty())).as("the sync failed").isNull();
    assertThat(registry.size()).isEqualTo(154);
  }
}
