package com.example.echo;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.bot.HandoffChannel;
import io.wabot.config.AppConfig;
import io.wabot.conversation.ConversationEngine;
import io.wabot.sandbox.AcceptedMessage;
import io.wabot.testing.AdopterClassPath;
import io.wabot.testing.Futures;
import io.wabot.testing.Http;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.SimulatedGraphApi;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An adopter's bot through the public mechanism only: the echo bot's classes and its
 * META-INF/services registration are put on the class path next to ours (which registers the sales
 * example too), BOT_DEFINITION picks it, and a customer holds a conversation with it through the real
 * pipeline: signed webhooks, the Redis queues, the engine, the sender and the Graph API simulator.
 */
class EchoBotTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String CUSTOMER = "16505551234";

  @TempDir
  Path messages;

  final SimulatedGraphApi graph = new SimulatedGraphApi().start();
  Application app;

  @BeforeEach
  void start() throws Exception {
    // The adopter's copy: ours (the engine's keys) plus their flow's, in their one locale.
    JsonObject en = new JsonObject(Files.readString(Path.of("conf/messages/en.json")))
        .put("echo.hello", "Hi! I say back what you write.")
        .put("echo.reply", "You said: {text}")
        .put("echo.pong", "Pong! The echo bot is here.")
        .put("keywords.ping", new JsonArray().add("ping").add("are you there"));
    Files.writeString(messages.resolve("en.json"), en.encodePrettily());
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    env.put("WHATSAPP_API_BASE_URL", graph.baseUrl());
    env.put("BOT_DEFINITION", "com.example.echo.EchoBot");
    AppConfig config = TestApps.config(env, new JsonObject()
        .put("conversation", new JsonObject().put("locales", new JsonArray().add("en")).put("messagesDir", messages.toString()))
        .put("bot", new JsonObject().put("settings", new JsonObject().put("maxLength", 11))));
    EchoBot.CONSENT_STORES.clear();
    EchoBot.HELPDESK.tried.clear();
    EchoBot.HELPDESK.accepted.clear();
    app = AdopterClassPath.withEchoBot(() -> new Application(config));
    Futures.await(app.start(), Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    TestApps.stop(app);
    graph.close();
  }

  @Test
  @DisplayName("the echo bot greets, echoes within its own setting, and its in-memory consent store holds replies after STOP")
  void conversation() throws Exception {
    say("hi");
    assertThat(awaitTexts(1)).containsExactly("Hi! I say back what you write.");

    say("hello world, how are you?");
    assertThat(awaitTexts(2)).last().isEqualTo("You said: hello world"); // bot.settings.maxLength = 11 characters

    say("Ping!"); // the bot's own global command, ahead of the flow that would echo it
    assertThat(awaitTexts(3)).last().isEqualTo("Pong! The echo bot is here.");

    say("stop");
    assertThat(awaitTexts(4).get(3)).startsWith("You're unsubscribed");
    assertThat(EchoBot.CONSENT_STORES).anySatisfy(store -> assertThat(store.byCustomer.values())
        .singleElement().satisfies(status -> assertThat(status.stoppedAll()).isTrue()));

    try (LogCapture logs = LogCapture.of(ConversationEngine.class)) {
      String ignored = say("anyone there?");
      // The turn ran, asked the store, and answered nothing: no echo was ever queued.
      ILoggingEvent turn = logs.awaitMatching(e -> "conversation.turn".equals(LogCapture.value(e, "event"))
          && ignored.equals(LogCapture.value(e, "wamid")));
      assertThat(LogCapture.value(turn, "replies")).hasToString("0");
    }
    say("start");
    List<String> texts = awaitTexts(6);
    assertThat(texts.get(4)).as("START's confirmation, then the home flow again; no echo of the held message")
        .startsWith("Welcome back!");
    assertThat(texts.get(5)).isEqualTo("Hi! I say back what you write.");
  }

  @Test
  @DisplayName("a hand-off goes to the echo bot's own helpdesk through the notify queue, retried after a failure")
  void handoffToOwnChannel() throws Exception {
    say("hi");
    awaitTexts(1);
    say("agent"); // the engine's global command, kept in the echo bot's list
    assertThat(awaitTexts(2)).last().asString().startsWith("Thanks! I've passed your request to our sales team");

    HandoffChannel.Delivery requested = EchoBot.HELPDESK.accepted.awaitSize(1).get(0);
    assertThat(requested.type()).isEqualTo("handoff.requested");
    assertThat(requested.event().getJsonObject("customer").getString("waId")).isEqualTo(CUSTOMER);
    assertThat(requested.event().getString("reason")).isEqualTo("requested");
    assertThat(requested.attempt()).as("the first delivery failed; the queue tried again").isEqualTo(2);
    assertThat(EchoBot.HELPDESK.tried.snapshot()).extracting(HandoffChannel.Delivery::id).containsOnly(requested.id());

    say("is anyone there?"); // during the hand-off: to the helpdesk, not echoed
    say("menu");             // back to the bot
    List<HandoffChannel.Delivery> events = EchoBot.HELPDESK.accepted.awaitSize(3);
    assertThat(events).extracting(HandoffChannel.Delivery::type)
        .containsExactlyInAnyOrder("handoff.requested", "handoff.message", "handoff.ended");
    assertThat(events).filteredOn(d -> d.type().equals("handoff.message")).singleElement()
        .satisfies(d -> assertThat(d.event().getJsonObject("message").getString("text")).isEqualTo("is anyone there?"));
    assertThat(events).filteredOn(d -> d.type().equals("handoff.ended")).singleElement()
        .satisfies(d -> assertThat(d.event().getString("endedBy")).isEqualTo("customer"));
    assertThat(awaitTexts(3)).as("the menu's answer ends the hand-off; nothing was echoed during it")
        .noneMatch(text -> text.startsWith("You said"));
  }

  @Test
  @DisplayName("the echo bot's own route is served by the service's HTTP server, with its settings")
  void ownRoute() throws Exception {
    HttpResponse<String> status = Http.call(app.httpPort(), "GET", "/echo/status", null);
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(status.body())).isEqualTo(new JsonObject().put("bot", "echo").put("maxLength", 11));
    assertThat(Http.call(app.httpPort(), "GET", "/echo/unknown", null).statusCode()).as("ours answer the rest").isEqualTo(404);
  }

  private String say(String text) throws Exception {
    String wamid = Webhooks.newWamid();
    assertThat(Webhooks.postSigned(app.httpPort(), Webhooks.text(wamid, CUSTOMER, text)).statusCode()).isEqualTo(200);
    return wamid;
  }

  /** The texts the customer has received, once there are {@code n}, in the order the simulator accepted them. */
  private List<String> awaitTexts(int n) {
    return graph.accepted().awaitCount(EchoBotTest::isText, n).stream()
        .map(message -> message.body().getJsonObject("text").getString("body")).toList();
  }

  private static boolean isText(AcceptedMessage message) {
    return "text".equals(message.kind()) && CUSTOMER.equals(message.recipient());
  }

}
