package io.wabot.sandbox;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.reload.ConfigReload;
import io.wabot.testing.Futures;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sandbox's agent seat through the page's API, against the real bot: the simulated sales team's
 * number is a chat of its own where hand-offs arrive, and what the page sends from it are signed
 * webhooks from that number, answered as the agent's, never as a customer's.
 */
class SandboxAgentSeatTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String CUSTOMER = "16505551234";
  static final String AGENT = SandboxVerticle.AGENT_NUMBER;

  private SandboxApp sandbox;

  @BeforeEach
  void start() {
    sandbox = new SandboxApp(REDIS.url());
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private List<JsonObject> botEntries(String chat) throws Exception {
    JsonArray entries = sandbox.json("GET", "/sandbox/api/customers/" + chat + "/conversation", null).getJsonArray("entries");
    return entries.stream().map(JsonObject.class::cast).filter(e -> e.getString("from").equals("bot")).toList();
  }

  /** Sends from a chat, as the page does: a signed webhook from that customer's (or the agent's) phone. */
  private void send(String chat, JsonObject message) throws Exception {
    sandbox.json("POST", "/sandbox/api/customers/" + chat + "/messages", message);
  }

  private JsonObject awaitBotEntry(String chat, int number) throws Exception {
    poll("message %d to %s", number, chat).until(() -> botEntries(chat).size() >= number);
    return botEntries(chat).get(number - 1);
  }

  private static JsonObject say(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  /** A tap on the button titled {@code title} of a message the chat received. */
  private static JsonObject tap(JsonObject entry, String title) {
    for (Object b : entry.getJsonObject("message").getJsonObject("interactive").getJsonObject("action").getJsonArray("buttons")) {
      JsonObject reply = ((JsonObject) b).getJsonObject("reply");
      if (reply.getString("title").equals(title)) {
        return new JsonObject().put("type", "button").put("id", reply.getString("id")).put("title", title)
            .put("context", entry.getString("wamid"));
      }
    }
    throw new AssertionError("no button " + title + " in " + entry.encode());
  }

  @Test
  @DisplayName("the page has an agent seat apart from the customers, and the agent answers and hands back through it")
  void agentSeat() throws Exception {
    JsonObject state = sandbox.json("GET", "/sandbox/api/state", null);
    assertThat(state.getJsonObject("agent").getString("number")).isEqualTo(AGENT);
    assertThat(state.getJsonObject("agent").getString("name")).isEqualTo("Sales team (agent)");
    assertThat(state.getJsonArray("customers")).as("the agent is no customer").isEmpty();

    sandbox.json("POST", "/sandbox/api/customers", new JsonObject().put("name", "Sam Taylor").put("number", CUSTOMER));
    send(CUSTOMER, say("hi"));
    awaitBotEntry(CUSTOMER, 1);
    send(CUSTOMER, say("talk to a person"));
    awaitBotEntry(CUSTOMER, 2);
    JsonObject request = awaitBotEntry(AGENT, 1);
    assertThat(request.getString("text")).contains("New request from Sam Taylor", "[Answer] [Hand back to bot]");

    send(AGENT, tap(request, "Answer"));
    assertThat(awaitBotEntry(AGENT, 2).getString("text")).contains("You're answering Sam Taylor");
    send(AGENT, say("Hi Sam, Alex from sales here."));
    assertThat(awaitBotEntry(CUSTOMER, 3).getString("text")).isEqualTo("Hi Sam, Alex from sales here.");

    send(AGENT, tap(request, "Hand back to bot"));
    assertThat(awaitBotEntry(CUSTOMER, 4).getString("text")).contains("Our team has finished helping you");
    assertThat(awaitBotEntry(AGENT, 3).getString("text")).contains("handed back by you");
    send(CUSTOMER, say("headphones"));
    assertThat(awaitBotEntry(CUSTOMER, 5).getString("text")).contains("I found");

    JsonObject after = sandbox.json("GET", "/sandbox/api/state", null);
    assertThat(after.getJsonArray("customers")).hasSize(1);
    assertThat(after.getJsonArray("entries").stream().map(JsonObject.class::cast).filter(e -> AGENT.equals(e.getString("customer"))))
        .as("the seat's transcript is in the page's state").hasSizeGreaterThanOrEqualTo(5);
  }

  @Test
  @DisplayName("typing in the agent seat without a hand-off gets a note, never the customer flow's greeting")
  void agentIsNeverGreeted() throws Exception {
    send(AGENT, say("Hi!"));
    JsonObject note = awaitBotEntry(AGENT, 1);
    assertThat(note.getString("text")).contains("Nothing was sent").doesNotContain("Hi Sales").doesNotContain("What would you like");
  }

  @Test
  @DisplayName("after a configuration reload the seat is still the agent's: the numbers re-read keep the simulated sales team")
  void agentSeatAfterReload() throws Exception {
    ConfigReload.Outcome reloaded = Futures.await(sandbox.app.reload("test"));
    assertThat(reloaded.problems()).isEmpty();
    assertThat(reloaded.change().changed()).as("the numbers as start-up gave them").isEmpty();

    send(AGENT, say("Hi!"));
    assertThat(awaitBotEntry(AGENT, 1).getString("text")).contains("Nothing was sent").doesNotContain("What would you like");
  }
}
