package io.wabot.sandbox;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.testing.Http;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.StoredStatuses;
import io.wabot.testing.TestApps;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SandboxApiTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String CUSTOMER = "5215512345678";

  private SandboxApp sandbox;
  private Application app;

  @BeforeEach
  void start() {
    sandbox = new SandboxApp(REDIS.url());
    app = sandbox.app;
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private HttpResponse<String> call(String method, String path, JsonObject body) throws Exception {
    return Http.call(app.httpPort(), method, path, body);
  }

  private JsonObject json(String method, String path, JsonObject body) throws Exception {
    return Http.json(app.httpPort(), method, path, body);
  }

  private List<JsonObject> transcript() throws Exception {
    JsonArray entries = json("GET", "/sandbox/api/customers/" + CUSTOMER + "/conversation", null).getJsonArray("entries");
    return entries.stream().map(JsonObject.class::cast).toList();
  }

  private List<JsonObject> botEntries() throws Exception {
    return transcript().stream().filter(e -> e.getString("from").equals("bot")).toList();
  }

  @Test
  @DisplayName("a simulated customer's message goes through the real webhook, queue, workers and sender to the simulator")
  void roundTrip() throws Exception {
    json("POST", "/sandbox/api/customers", new JsonObject().put("name", "Ana López").put("number", CUSTOMER));
    JsonObject sent = json("POST", "/sandbox/api/customers/" + CUSTOMER + "/messages",
        new JsonObject().put("type", "text").put("text", "hola"));
    assertThat(sent.getInteger("webhookStatus")).isEqualTo(200);
    String wamid = sent.getJsonObject("entry").getString("wamid");

    poll("the bot's reply").until(() -> botEntries().size() == 1);
    JsonObject reply = botEntries().get(0);
    assertThat(reply.getString("text")).contains("Ana").contains("[Ver productos]");
    poll("the bot to mark the customer's message read").until(() -> "read".equals(transcript().get(0).getString("status")));

    // The simulator reports the reply's progress through the bot's webhook, which stores it.
    String replyWamid = reply.getString("wamid");
    poll("the reply's delivery stored").until(() -> "delivered".equals(StoredStatuses.statusOf(app, replyWamid)));
    json("POST", "/sandbox/api/customers/" + CUSTOMER + "/read", new JsonObject().put("wamid", replyWamid));
    poll("the reply's reading stored").until(() -> "read".equals(StoredStatuses.statusOf(app, replyWamid)));

    JsonObject state = json("GET", "/sandbox/api/state", null);
    assertThat(state.getJsonArray("traces").stream().map(JsonObject.class::cast)
        .filter(t -> wamid.equals(t.getString("correlationId"))).map(t -> t.getString("name")))
        .contains("inbound.queued", "conversation.turn", "outbound.sent");
  }

  @Test
  @DisplayName("tapping a reply button answers the interactive reply, quoting the message it answers")
  void tapButton() throws Exception {
    json("POST", "/sandbox/api/customers", new JsonObject().put("name", "Ana").put("number", CUSTOMER));
    json("POST", "/sandbox/api/customers/" + CUSTOMER + "/messages", new JsonObject().put("type", "text").put("text", "hola"));
    poll("the menu").until(() -> botEntries().size() == 1);
    JsonObject menu = botEntries().get(0);
    JsonObject browse = menu.getJsonObject("message").getJsonObject("interactive").getJsonObject("action")
        .getJsonArray("buttons").getJsonObject(0).getJsonObject("reply");
    json("POST", "/sandbox/api/customers/" + CUSTOMER + "/messages", new JsonObject().put("type", "button")
        .put("id", browse.getString("id")).put("title", browse.getString("title")).put("context", menu.getString("wamid")));
    poll("the answer to the tap").until(() -> botEntries().size() == 2);
    assertThat(botEntries().get(1).getString("text")).contains("Audio").contains("Celulares");
  }

  @Test
  @DisplayName("faults injected in the simulator delay replies without losing them")
  void faults() throws Exception {
    json("POST", "/sandbox/api/faults", new JsonObject().put("fault", "server_error").put("status", 503).put("times", 2));
    assertThat(json("GET", "/sandbox/api/faults", null).getJsonArray("faults")).hasSize(1);
    json("POST", "/sandbox/api/customers", new JsonObject().put("name", "Ana").put("number", CUSTOMER));
    json("POST", "/sandbox/api/customers/" + CUSTOMER + "/messages", new JsonObject().put("type", "text").put("text", "hola"));
    poll("the reply, once the faults are spent").atMost(Duration.ofSeconds(20)).until(() -> botEntries().size() == 1);
    assertThat(json("DELETE", "/sandbox/api/faults", null).getJsonArray("faults")).isEmpty();
  }

  @Test
  @DisplayName("bad requests get a clear 400 and the page is served, with / redirecting to it")
  void badRequestsAndPage() throws Exception {
    HttpResponse<String> badNumber = call("POST", "/sandbox/api/customers", new JsonObject().put("name", "X").put("number", "12"));
    assertThat(badNumber.statusCode()).isEqualTo(400);
    assertThat(badNumber.body()).contains("8 to 15 digits");
    assertThat(call("POST", "/sandbox/api/customers/999999999/messages", new JsonObject().put("type", "text")).statusCode())
        .isEqualTo(400);
    assertThat(call("POST", "/sandbox/api/faults", new JsonObject().put("fault", "meteor")).statusCode()).isEqualTo(400);

    HttpResponse<String> root = call("GET", "/", null);
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("Location")).hasValue("/sandbox/");
    HttpResponse<String> page = call("GET", "/sandbox/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>WhatsApp bot sandbox</title>");
  }
}
