package io.wabot.sandbox;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.config.WhatsAppConfig;
import io.wabot.testing.Http;
import io.wabot.testing.RedisExtension;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sandbox's two numbers out of the box (issue 19), through its JSON API: the page's state lists them,
 * a customer's chats are kept per (number, customer), and a reply a number's sender makes lands in that
 * number's chat only.
 */
class SandboxNumbersTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String SALES = WhatsAppConfig.SANDBOX_PHONE_NUMBER_ID;
  static final String SUPPORT = "100000000000002";
  static final String ANA = "5215512345678";

  private SandboxApp sandbox;

  @BeforeEach
  void start() {
    sandbox = new SandboxApp(REDIS.url());
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private JsonObject state() throws Exception {
    return sandbox.json("GET", "/sandbox/api/state", null);
  }

  private List<JsonObject> transcript(String business) throws Exception {
    JsonArray entries = sandbox.json("GET", "/sandbox/api/customers/" + ANA + "/conversation"
        + (business == null ? "" : "?business=" + business), null).getJsonArray("entries");
    return entries.stream().map(JsonObject.class::cast).toList();
  }

  private static List<JsonObject> objects(JsonArray array) {
    return array.stream().map(JsonObject.class::cast).toList();
  }

  /** What a number's sender does: a text to Ana from that number's path, with the sandbox's token. */
  private int replyFrom(String number, String text) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.app.config().whatsapp().messagesUrl(number)))
        .header("Authorization", "Bearer " + WhatsAppConfig.SANDBOX_ACCESS_TOKEN).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(OutboundMessage.text(ANA, text).toJson().encode())).build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  @DisplayName("the page's state lists Sales (the default) and Support, with the business name each number's customers see")
  void twoNumbers() throws Exception {
    JsonObject state = state();

    assertThat(objects(state.getJsonArray("numbers"))).extracting(n -> n.getString("name")).containsExactly("Sales", "Support");
    assertThat(objects(state.getJsonArray("numbers"))).extracting(n -> n.getString("phoneNumberId"))
        .containsExactly(SALES, SUPPORT);
    assertThat(state.getJsonArray("numbers").getJsonObject(1).getString("businessName")).isEqualTo("Acme Support");
    assertThat(state.getString("phoneNumberId")).isEqualTo(SALES);
  }

  @Test
  @DisplayName("one customer on both numbers has two chats: each message is in its number's chat, a reply from Support only in Support's")
  void chatsPerNumber() throws Exception {
    JsonObject onSales = sandbox.json("POST", "/sandbox/api/customers", new JsonObject().put("name", "Ana")
        .put("number", ANA).put("locale", "es"));
    // the same number on Support: the same person (same BSUID), a chat of its own; the name may be left out
    JsonObject onSupport = sandbox.json("POST", "/sandbox/api/customers?business=support", new JsonObject().put("number", ANA));

    assertThat(onSales.getString("business")).isEqualTo(SALES);
    assertThat(onSupport.getString("business")).isEqualTo(SUPPORT);
    assertThat(onSupport.getString("userId")).isEqualTo(onSales.getString("userId"));
    assertThat(onSupport.getString("name")).isEqualTo("Ana");

    sandbox.json("POST", "/sandbox/api/customers/" + ANA + "/messages", new JsonObject().put("type", "text").put("text", "hola ventas"));
    sandbox.json("POST", "/sandbox/api/customers/" + ANA + "/messages?business=Support", new JsonObject().put("type", "text")
        .put("text", "hola soporte (query)"));
    JsonObject sent = sandbox.json("POST", "/sandbox/api/customers/" + ANA + "/messages",
        new JsonObject().put("type", "text").put("text", "hola soporte").put("business", SUPPORT));
    assertThat(sent.getJsonObject("entry").getString("business")).isEqualTo(SUPPORT);
    assertThat(replyFrom(SUPPORT, "Acme Support at your service")).isEqualTo(200);

    poll("Support's reply in Support's chat").until(() -> transcript("Support").stream()
        .anyMatch(e -> "bot".equals(e.getString("from")) && e.getString("text").contains("Acme Support")));
    assertThat(transcript("Support")).allSatisfy(e -> assertThat(e.getString("business")).isEqualTo(SUPPORT))
        .extracting(e -> e.getString("text")).anySatisfy(t -> assertThat(t).contains("hola soporte"))
        .noneSatisfy(t -> assertThat(t).contains("hola ventas"));
    assertThat(transcript(null)).allSatisfy(e -> assertThat(e.getString("business")).isEqualTo(SALES))
        .extracting(e -> e.getString("text")).noneSatisfy(t -> assertThat(t).contains("Acme Support"))
        .noneSatisfy(t -> assertThat(t).contains("hola soporte"));
    assertThat(transcript(SUPPORT)).extracting(e -> e.getString("text")).anySatisfy(t -> assertThat(t).contains("(query)"));

    JsonObject state = state();
    assertThat(objects(state.getJsonArray("customers"))).extracting(c -> c.getString("number")).containsOnlyOnce(ANA);
    assertThat(objects(state.getJsonArray("chats"))).filteredOn(c -> ANA.equals(c.getString("customer")))
        .extracting(c -> c.getString("business")).containsExactly(SALES, SUPPORT);
  }

  @Test
  @DisplayName("a reply from a number the customer never wrote to starts that number's chat, without touching the other")
  void replyStartsItsChat() throws Exception {
    sandbox.json("POST", "/sandbox/api/customers", new JsonObject().put("name", "Ana").put("number", ANA));

    assertThat(replyFrom(SUPPORT, "Your ticket is solved")).isEqualTo(200);

    poll("Support's chat with Ana").until(() -> objects(state().getJsonArray("chats")).stream()
        .anyMatch(c -> ANA.equals(c.getString("customer")) && SUPPORT.equals(c.getString("business"))));
    assertThat(transcript("Support")).singleElement().satisfies(e -> assertThat(e.getString("text")).contains("ticket"));
    assertThat(transcript("Sales")).isEmpty();
  }

  @Test
  @DisplayName("a hand-off on Support reaches the agent seat's chat with Support, not its chat with Sales")
  void handOffPerNumber() throws Exception {
    String agent = SandboxVerticle.AGENT_NUMBER;
    sandbox.json("POST", "/sandbox/api/customers?business=Support", new JsonObject().put("name", "Ana").put("number", ANA));
    sandbox.json("POST", "/sandbox/api/customers/" + ANA + "/messages?business=Support", new JsonObject().put("type", "text")
        .put("text", "talk to a person"));

    poll("the request in the seat's chat with Support").until(() -> entries(agent, "Support").stream()
        .anyMatch(e -> e.getString("text").contains("New request from Ana")));
    assertThat(entries(agent, "Sales")).as("the seat's chat with Sales").isEmpty();
    assertThat(objects(state().getJsonArray("chats"))).filteredOn(c -> agent.equals(c.getString("customer")))
        .extracting(c -> c.getString("business")).containsExactly(SALES, SUPPORT);
  }

  private List<JsonObject> entries(String customer, String business) throws Exception {
    return objects(sandbox.json("GET", "/sandbox/api/customers/" + customer + "/conversation?business=" + business, null)
        .getJsonArray("entries"));
  }

  @Test
  @DisplayName("a business number the sandbox does not serve is a 400 naming the ones it does")
  void unknownNumber() throws Exception {
    HttpResponse<String> response = Http.call(sandbox.app.httpPort(), "POST", "/sandbox/api/customers?business=Billing",
        new JsonObject().put("name", "Ana").put("number", ANA));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("Billing").contains("Sales (" + SALES + ")").contains("Support (" + SUPPORT + ")");
  }
}
