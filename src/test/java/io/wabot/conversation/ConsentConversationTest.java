package io.wabot.conversation;

import static io.wabot.conversation.Bot.buttons;
import static io.wabot.conversation.Bot.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.testing.RedisExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** STOP and START, in both languages, with the default consent hook keeping opt-outs in Redis. */
class ConsentConversationTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  ChatHarness chat;

  @BeforeEach
  void start() {
    chat = new ChatHarness(REDIS.url());
  }

  @AfterEach
  void stop() {
    chat.close();
  }

  @Test
  @DisplayName("after STOP the customer gets only the confirmation, nothing else until START")
  void stopThenStartInEnglish() {
    Customer sam = chat.customer("16505551234", "Sam");
    sam.says("hi").says("STOP").botReplies(text("You're unsubscribed", "reply *START*"));
    JsonObject record = new JsonObject(chat.get("optout:" + sam.key()));
    assertThat(record.getString("source")).isEqualTo("KEYWORD");
    sam.says("hello?").botSaysNothing().markedRead(false);
    sam.says("headphones").botSaysNothing();
    sam.says("agent").botSaysNothing();
    assertThat(chat.teamEvents()).isEmpty();
    sam.says("Start").botReplies(buttons("Welcome back! You'll get our messages again", "Browse products", "Search",
        "Talk to a person"));
    assertThat(chat.get("optout:" + sam.key())).isNull();
    sam.says("headphones").botReplies(Bot.listStartingWith("I found"));
  }

  @Test
  @DisplayName("BAJA and ALTA work for Spanish speakers, and STOP words work whatever the locale")
  void stopThenStartInSpanish() {
    Customer ana = chat.customer("5215512345678", "Ana");
    ana.says("hola").says("Baja").botReplies(text("Cancelaste tu suscripción", "responde *ALTA*"));
    ana.says("hola").botSaysNothing();
    ana.says("ALTA").botReplies(buttons("¡Qué gusto tenerte de vuelta!", "Ver productos", "Buscar", "Hablar con asesor"));
    Customer pilar = chat.customer("34612345678", "Pilar");
    pilar.says("unsubscribe").botReplies(text("Cancelaste tu suscripción"));
  }

  @Test
  @DisplayName("STOP during a hand-off ends it and tells the team")
  void stopDuringHandoff() {
    Customer sam = chat.customer("16505551234", "Sam");
    sam.says("hi").says("agent").says("stop").botReplies(text("You're unsubscribed"));
    assertThat(chat.teamEvents()).last().satisfies(e -> assertThat(e.getString("endedBy")).isEqualTo("unsubscribed"));
  }

  @Test
  @DisplayName("START from a subscribed customer is just a hello")
  void startWhenSubscribed() {
    chat.customer("16505551234", "Sam").says("start").botReplies(buttons("Hi Sam!", "Browse products", "Search", "Talk to a person"));
  }

  @Test
  @DisplayName("a marketing opt-out from WhatsApp does not silence answers to the customer's own questions")
  void marketingOptOutStillAnswers() {
    Customer sam = chat.customer("16505551234", "Sam");
    ChatHarness.await(chat.redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.SET)
        .arg(chat.keyspace.key("optout-marketing:" + sam.key())).arg("{\"at\":\"2025-01-01T00:00:00Z\",\"source\":\"USER_PREFERENCE\"}")));
    sam.says("hi").botReplies(buttons("Hi Sam!", "Browse products", "Search", "Talk to a person"));
  }
}
