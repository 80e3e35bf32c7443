package io.wabot.conversation;

import static io.wabot.conversation.Bot.text;
import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vertx.core.json.JsonObject;
import io.wabot.config.FlowsKey;
import io.wabot.sandbox.FlowsClientSimulator.Exchange;
import io.wabot.sandbox.FlowsClientSimulator;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.testing.KeyFiles;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Reserve this item" as a WhatsApp Flow through the whole service: the customer taps Reserve, the bot
 * sends a flow message with a token it issued; Meta's client (the simulator, encrypting with the bot's
 * public key) opens the flow (INIT), submits each screen to {@code POST /flows}, and the completion
 * ({@code nfm_reply}) arrives by webhook: the conversation hands the customer to the sales team with the
 * answers attached. Completions with a token that is used, foreign, expired or unknown are refused.
 */
class ReservationFlowEndToEndTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String AGENT = "5215500000001";

  @TempDir
  static Path dir;
  static Path keyFile;
  static FlowsKey key;

  WebhookChat chat;
  FlowsClientSimulator meta;
  WebhookCustomer sam;

  @BeforeAll
  static void keys() throws Exception {
    keyFile = KeyFiles.plain(dir, "flows.pem");
    key = FlowsKey.read(KeyFiles.read(keyFile), null);
  }

  @BeforeEach
  void start() {
    chat = new WebhookChat(REDIS.server(), Map.of("WHATSAPP_FLOWS_PRIVATE_KEY", keyFile.toString(),
        "AGENT_WHATSAPP_NUMBER", AGENT));
    meta = new FlowsClientSimulator(chat.side, "http://127.0.0.1:" + chat.app.httpPort(), TestApps.APP_SECRET, key::publicKey);
    sam = chat.customer("16505551234", "US.13491208655302741918", "Sam Taylor");
  }

  @AfterEach
  void stop() {
    meta.close();
    chat.close();
  }

  /** Sam opens the item and taps Reserve: the flow message's token. */
  private String reserveTapped(WebhookCustomer customer) {
    customer.says("AUD-001");
    customer.taps("Reserve it");
    assertThat(customer.lastReplies()).hasSize(1);
    JsonObject interactive = customer.lastReplies().get(0).getJsonObject("interactive");
    assertThat(interactive.getString("type")).isEqualTo("flow");
    assertThat(interactive.getJsonObject("body").getString("text")).contains("Reserve *Nimbus ANC 700");
    JsonObject parameters = interactive.getJsonObject("action").getJsonObject("parameters");
    assertThat(parameters.getString("flow_name")).isEqualTo("reserve_item");
    assertThat(parameters.getString("flow_action")).isEqualTo("data_exchange");
    assertThat(parameters.getString("flow_cta")).isEqualTo("Reserve this item");
    return parameters.getString("flow_token");
  }

  private static JsonObject nfmReply(JsonObject response) {
    return new JsonObject().put("type", "nfm_reply").put("nfm_reply", new JsonObject().put("name", "flow")
        .put("body", "Sent").put("response_json", response.encode()));
  }

  @Test
  @DisplayName("tap Reserve → flow message → INIT → quantity → delivery slot → name → completion → hand-off with the answers")
  void reservesWithoutTyping() {
    String token = reserveTapped(sam);

    Exchange opened = await(meta.init(token));
    assertThat(opened.screen()).isEqualTo("QUANTITY");
    Exchange delivery = await(meta.dataExchange(token, "QUANTITY", new JsonObject().put("quantity", "2").put("fulfilment", "delivery")));
    assertThat(delivery.screen()).isEqualTo("DELIVERY");
    JsonObject slot = delivery.data().getJsonArray("slots").getJsonObject(0);
    Exchange contact = await(meta.dataExchange(token, "DELIVERY", new JsonObject().put("quantity", "2")
        .put("slot", slot.getString("id")).put("address", "12 Privet Drive")));
    assertThat(contact.screen()).isEqualTo("CONTACT");
    Exchange closed = await(meta.dataExchange(token, "CONTACT", contact.data().copy().put("customer_name", "Ada Lovelace")));
    JsonObject params = closed.data().getJsonObject("extension_message_response").getJsonObject("params");
    assertThat(params.getString("flow_token")).isEqualTo(token);

    try (LogCapture logs = LogCapture.of("io.wabot")) {
      // WhatsApp's client sends the closing answer's params as the completion's response_json.
      sam.sends("interactive", nfmReply(params)).botReplies(text("Your reservation is with our sales team",
          "2 × Nimbus ANC 700", "delivery " + slot.getString("title"), "12 Privet Drive", "Ada Lovelace"));

      RecordedRequest team = chat.requests().stream().filter(r -> AGENT.equals(r.recipient())).reduce((a, b) -> b).orElseThrow();
      assertThat(Bot.visibleText(team.body())).contains("sent a reservation form").contains("2 × Nimbus ANC 700")
          .contains("Ada Lovelace");
      assertThat(logs.named("flows.completed")).singleElement()
          .satisfies(e -> assertThat(LogCapture.value(e, "flow")).isEqualTo("reserve_item"));
      assertThat(logs.events()).as("form answers never reach a log").noneSatisfy(e -> assertThat(logged(e))
          .containsAnyOf("Ada Lovelace", "Privet", token));
    }
    assertThat(chat.metrics()).containsPattern("wabot_flows_completions_total\\{number=\"[^\"]+\",outcome=\"completed\"")
        .containsPattern("wabot_conversation_handoffs_total\\{number=\"[^\"]+\",reason=\"reservation\"");

    // The same form sent again (another message with the same token) is refused: the menu, and why.
    sam.says("menu"); // back from the hand-off, so the next message is the bot's again
    sam.sends("interactive", nfmReply(params));
    assertThat(Bot.visibleText(sam.lastReplies().get(0))).contains("I already have that form");
    assertThat(chat.metrics()).containsPattern("wabot_flows_completions_total\\{number=\"[^\"]+\",outcome=\"used\"");
  }

  @Test
  @DisplayName("a completion with another customer's, an expired or an unknown token is refused with the menu, an event and a metric")
  void refusedCompletions() {
    String samsToken = reserveTapped(sam);
    WebhookCustomer ana = chat.customer("5215512345678", "MX.1234567890123456789", "Ana");
    try (LogCapture logs = LogCapture.of("io.wabot")) {
      ana.sends("interactive", nfmReply(new JsonObject().put("flow_token", samsToken).put("sku", "AUD-001")));
      assertThat(Bot.visibleText(ana.lastReplies().get(0))).contains("ese formulario ya no es válido");
      assertThat(logs.named("flows.completion_refused")).singleElement()
          .satisfies(e -> assertThat(LogCapture.value(e, "reason")).isEqualTo("foreign"));
    }

    String expired = reserveTapped(sam);
    REDIS.server().command("HSET", chat.prefix + "flowtoken:" + expired, "exp", "1");
    sam.sends("interactive", nfmReply(new JsonObject().put("flow_token", expired)));
    assertThat(Bot.visibleText(sam.lastReplies().get(0))).contains("that form has expired");

    sam.sends("interactive", nfmReply(new JsonObject().put("flow_token", "wbf1.never-issued-by-this-bot")));
    assertThat(Bot.visibleText(sam.lastReplies().get(0))).contains("that form isn't valid anymore");
    sam.sends("interactive", new JsonObject().put("type", "nfm_reply").put("nfm_reply", new JsonObject()
        .put("name", "flow").put("response_json", "not json")));
    assertThat(Bot.visibleText(sam.lastReplies().get(0))).contains("that form isn't valid anymore");

    assertThat(chat.metrics()).containsPattern("wabot_flows_completions_total\\{number=\"[^\"]+\",outcome=\"foreign\"")
        .containsPattern("wabot_flows_completions_total\\{number=\"[^\"]+\",outcome=\"expired\"")
        .containsPattern("wabot_flows_completions_total\\{number=\"[^\"]+\",outcome=\"unknown\"");
  }

  private static String logged(ILoggingEvent event) {
    return event.getFormattedMessage() + " " + event.getKeyValuePairs();
  }
}
