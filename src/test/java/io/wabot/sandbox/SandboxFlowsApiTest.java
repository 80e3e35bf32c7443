package io.wabot.sandbox;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.testing.RedisExtension;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sandbox's WhatsApp Flows API as the page calls it: a flow step by step, and bad requests answered 400. */
class SandboxFlowsApiTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String CUSTOMER = "16505551234";
  static final String FLOWS = "/sandbox/api/customers/" + CUSTOMER + "/flows";

  private SandboxApp sandbox;

  @BeforeEach
  void start() throws Exception {
    sandbox = new SandboxApp(REDIS.url());
    sandbox.json("POST", "/sandbox/api/customers", new JsonObject().put("name", "Sam Taylor").put("number", CUSTOMER));
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private List<JsonObject> botEntries() throws Exception {
    return sandbox.json("GET", "/sandbox/api/customers/" + CUSTOMER + "/conversation", null).getJsonArray("entries").stream()
        .map(JsonObject.class::cast).filter(e -> e.getString("from").equals("bot")).toList();
  }

  private JsonObject lastBot() throws Exception {
    List<JsonObject> entries = botEntries();
    return entries.get(entries.size() - 1);
  }

  private void send(JsonObject message) throws Exception {
    sandbox.json("POST", "/sandbox/api/customers/" + CUSTOMER + "/messages", message);
  }

  @Test
  @DisplayName("open and data_exchange go to the real /flows, the closing step sends the completion to the chat; an unknown"
      + " action is a 400, a used form a 427 that closes it")
  void stepByStep() throws Exception {
    send(new JsonObject().put("type", "text").put("text", "AUD-004"));
    poll("the item's detail").until(() -> !botEntries().isEmpty() && lastBot().getString("text").contains("Volta"));
    JsonObject detail = lastBot();
    send(new JsonObject().put("type", "button").put("id", "sales:reserve:AUD-004").put("title", "Reserve it")
        .put("context", detail.getString("wamid")));
    poll("the flow message").until(() -> lastBot().getString("text").contains("[Reserve this item] (form)"));
    String wamid = lastBot().getString("wamid");

    JsonObject opened = sandbox.json("POST", FLOWS, new JsonObject().put("wamid", wamid).put("action", "open"));
    assertThat(opened.getString("screen")).isEqualTo("QUANTITY");
    assertThat(opened.getJsonObject("definition").getJsonArray("screens")).hasSize(3);
    JsonObject tooMany = sandbox.json("POST", FLOWS, new JsonObject().put("wamid", wamid).put("action", "data_exchange")
        .put("screen", "QUANTITY").put("data", new JsonObject().put("quantity", "5").put("fulfilment", "pickup")));
    assertThat(tooMany.getString("errorMessage")).isEqualTo("Only 4 left: pick up to 4.");
    JsonObject contact = sandbox.json("POST", FLOWS, new JsonObject().put("wamid", wamid).put("action", "data_exchange")
        .put("screen", "QUANTITY").put("data", new JsonObject().put("quantity", "1").put("fulfilment", "pickup")));
    assertThat(contact.getString("screen")).isEqualTo("CONTACT");
    JsonObject closed = sandbox.json("POST", FLOWS, new JsonObject().put("wamid", wamid).put("action", "data_exchange")
        .put("screen", "CONTACT").put("data", contact.getJsonObject("data").copy().put("customer_name", "Sam")));
    assertThat(closed.getBoolean("closed")).isTrue();
    poll("the hand-off's acknowledgment").until(() -> lastBot().getString("text").contains("Your reservation is with our sales team"));

    HttpResponse<String> teleport = sandbox.call("POST", FLOWS, new JsonObject().put("wamid", wamid).put("action", "teleport"));
    assertThat(teleport.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(teleport.body()).getString("error")).isEqualTo("action must be open, data_exchange, back or complete");

    JsonObject again = sandbox.json("POST", FLOWS, new JsonObject().put("wamid", wamid).put("action", "open"));
    assertThat(again.getInteger("status")).as("the used token: WhatsApp closes the form").isEqualTo(427);
    assertThat(again.getBoolean("closed")).isTrue();
  }

  @Test
  @DisplayName("a step for a message that is no flow, or for a customer the page does not have, is a 400 that says why")
  void badRequests() throws Exception {
    HttpResponse<String> noFlow = sandbox.call("POST", FLOWS, new JsonObject().put("wamid", "wamid.NOPE").put("action", "open"));
    assertThat(noFlow.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(noFlow.body()).getString("error")).isEqualTo("no flow message wamid.NOPE");

    send(new JsonObject().put("type", "text").put("text", "hi"));
    poll("the menu").until(() -> !botEntries().isEmpty());
    HttpResponse<String> notAFlow = sandbox.call("POST", FLOWS, new JsonObject().put("wamid", lastBot().getString("wamid"))
        .put("action", "open"));
    assertThat(notAFlow.statusCode()).isEqualTo(400);

    HttpResponse<String> noCustomer = sandbox.call("POST", "/sandbox/api/customers/19999999999/flows",
        new JsonObject().put("wamid", "wamid.X").put("action", "open"));
    assertThat(noCustomer.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(noCustomer.body()).getString("error")).contains("no customer");
  }
}
