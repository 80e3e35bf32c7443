package io.wabot.conversation;

import static io.wabot.conversation.Bot.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.conversation.consent.RedisConsentHook;
import io.wabot.testing.RedisExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The conversation's side of a WhatsApp Flow, without HTTP: the flow message and its token, the
 * completion bound to it, and the one use of a token surviving a redelivered job.
 */
class FlowCompletionConversationTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  ChatHarness chat;
  Customer sam;

  @BeforeEach
  void start() {
    chat = new ChatHarness(REDIS.url(), new JsonObject(), RedisConsentHook::new, true);
    sam = chat.customer("16505551234", "Sam Taylor");
  }

  @AfterEach
  void stop() {
    chat.close();
  }

  private String reserveTapped() {
    sam.says("AUD-004").taps("Reserve it");
    JsonObject parameters = sam.lastReplies().get(0).getJsonObject("interactive").getJsonObject("action")
        .getJsonObject("parameters");
    assertThat(parameters.getString("flow_name")).isEqualTo("reserve_item");
    return parameters.getString("flow_token");
  }

  private Customer completes(String token) {
    return completes(token, "AUD-004");
  }

  private Customer completes(String token, String sku) {
    JsonObject response = new JsonObject().put("flow_token", token).put("sku", sku).put("quantity", 1)
        .put("fulfilment", "pickup").put("customer_name", "Sam");
    return sam.sends("interactive", new JsonObject().put("type", "nfm_reply").put("nfm_reply", new JsonObject()
        .put("name", "flow").put("body", "Sent").put("response_json", response.encode())));
  }

  @Test
  @DisplayName("a completion whose job runs again after a crash is still its one use: the hand-off again, not a refusal")
  void redeliveredCompletion() {
    String token = reserveTapped();
    chat.loseNextCommit(); // the worker answers, uses the token up in Redis, and dies before its commit
    completes(token).botSaysNothing();
    sam.redelivered().botReplies(text("Your reservation is with our sales team", "1 × Volta Studio Headphones, pick up in store"));
    assertThat(chat.teamEvents()).as("the team's event carries the answers")
        .anySatisfy(e -> assertThat(e.getJsonObject("context").getJsonObject("reservation").getString("customer_name"))
            .isEqualTo("Sam"));

    sam.says("menu");
    completes(token);
    assertThat(Bot.visibleText(sam.lastReplies().get(0))).contains("I already have that form");
  }

  @Test
  @DisplayName("the item reserved is the one in the bot's token, whatever SKU the answers from the phone name")
  void itemFromTheToken() {
    String token = reserveTapped();
    completes(token, "AUD-001").botReplies(text("1 × Volta Studio Headphones"));
  }
}
