package io.wabot.sandbox;

import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.wabot.whatsapp.outbound.CarouselMessage;
import io.wabot.whatsapp.outbound.CatalogMessage;
import io.wabot.whatsapp.outbound.ContactsMessage;
import io.wabot.whatsapp.outbound.CtaUrlMessage;
import io.wabot.whatsapp.outbound.LocationMessage;
import io.wabot.whatsapp.outbound.LocationRequestMessage;
import io.wabot.whatsapp.outbound.MarkAsRead;
import io.wabot.whatsapp.outbound.OutboundMessage;
import io.wabot.whatsapp.outbound.ProductListMessage;
import io.wabot.whatsapp.outbound.ProductMessage;
import io.wabot.whatsapp.outbound.RawMessage;
import io.wabot.whatsapp.outbound.TemplateMessage;
import io.wabot.whatsapp.outbound.TemplateMessage.Component;
import io.wabot.whatsapp.outbound.TemplateMessage.Parameter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class GraphApiSimulatorTest {

  static final String TOKEN = "sim-token";
  static final String PHONE_ID = "106540352242922";
  static final String CUSTOMER = "16505551234";

  GraphApiSimulator simulator;
  WebClient client;

  /** The extension closes this Vert.x, and with it the simulator's server and the client, after each test. */
  @BeforeEach
  void start(Vertx vertx) {
    simulator = new GraphApiSimulator(vertx, TOKEN, PHONE_ID);
    await(simulator.listen("127.0.0.1", 0));
    client = WebClient.create(vertx);
  }

  HttpResponse<Buffer> post(String token, JsonObject body) {
    return await(client.postAbs(simulator.baseUrl() + "/v23.0/" + PHONE_ID + "/messages")
        .putHeader("Authorization", "Bearer " + token).sendJsonObject(body));
  }

  HttpResponse<Buffer> send(String text) {
    return post(TOKEN, OutboundMessage.text(CUSTOMER, text).toJson());
  }

  @Test
  @DisplayName("a valid message is answered like Meta does, with a fresh wamid, and recorded with its arrival time")
  void acceptsMessages() {
    HttpResponse<Buffer> first = send("hello");
    HttpResponse<Buffer> second = send("again");

    assertThat(first.statusCode()).isEqualTo(200);
    JsonObject body = first.bodyAsJsonObject();
    assertThat(body.getString("messaging_product")).isEqualTo("whatsapp");
    assertThat(body.getJsonArray("contacts").getJsonObject(0).getMap())
        .containsEntry("input", CUSTOMER).containsEntry("wa_id", CUSTOMER);
    String wamid = body.getJsonArray("messages").getJsonObject(0).getString("id");
    assertThat(wamid).startsWith("wamid.");
    assertThat(second.bodyAsJsonObject().getJsonArray("messages").getJsonObject(0).getString("id")).isNotEqualTo(wamid);

    List<RecordedRequest> requests = simulator.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).wamid()).isEqualTo(wamid);
    assertThat(requests.get(0).recipient()).isEqualTo(CUSTOMER);
    assertThat(requests.get(0).body().getJsonObject("text").getString("body")).isEqualTo("hello");
    assertThat(requests.get(1).arrivalNanos()).isGreaterThanOrEqualTo(requests.get(0).arrivalNanos());
    assertThat(requests.get(0).arrivedAt()).isNotNull();
  }

  @Test
  @DisplayName("a wrong bearer token gets 401 with Meta's code 190 body")
  void wrongToken() {
    HttpResponse<Buffer> response = post("not-the-token", OutboundMessage.text(CUSTOMER, "hi").toJson());

    assertThat(response.statusCode()).isEqualTo(401);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getInteger("code")).isEqualTo(190);
    assertThat(error.getString("type")).isEqualTo("OAuthException");
    assertThat(error.getString("fbtrace_id")).isNotBlank();
    assertThat(simulator.requests().get(0).authorized()).isFalse();
    assertThat(simulator.accepted()).isEmpty();
  }

  @Test
  @DisplayName("a body that is not a WhatsApp message gets 400 with code 100, naming the parameter")
  void garbage() {
    HttpResponse<Buffer> noProduct = post(TOKEN, new JsonObject().put("to", CUSTOMER).put("type", "text"));
    HttpResponse<Buffer> noText = post(TOKEN, new JsonObject().put("messaging_product", "whatsapp").put("to", CUSTOMER)
        .put("type", "text").put("text", new JsonObject()));
    HttpResponse<Buffer> notJson = await(client.postAbs(simulator.baseUrl() + "/v23.0/" + PHONE_ID + "/messages")
        .putHeader("Authorization", "Bearer " + TOKEN).sendBuffer(Buffer.buffer("hello?")));

    for (HttpResponse<Buffer> response : List.of(noProduct, noText, notJson)) {
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(100);
    }
    assertThat(noText.bodyAsJsonObject().getJsonObject("error").getJsonObject("error_data").getString("details"))
        .contains("text['body']");
  }

  @Test
  @DisplayName("a request for another phone number id is refused like Meta refuses an unknown object")
  void otherPhoneNumber() {
    HttpResponse<Buffer> response = await(client.postAbs(simulator.baseUrl() + "/v23.0/999999999/messages")
        .putHeader("Authorization", "Bearer " + TOKEN).sendJsonObject(OutboundMessage.text(CUSTOMER, "x").toJson()));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getInteger("error_subcode")).isEqualTo(33);
  }

  @Test
  @DisplayName("a read receipt is answered {\"success\":true}")
  void readReceipt() {
    HttpResponse<Buffer> response = post(TOKEN, new MarkAsRead("wamid.ABC", true).toJson());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("success", true));
    assertThat(simulator.requests().get(0).kind()).isEqualTo("read");
  }

  @Test
  @DisplayName("a throughput fault answers 429, code 130429, with Retry-After, for as many requests as asked")
  void throughputFault() {
    simulator.inject(SimulatedFault.throughputLimit(Duration.ofSeconds(3)).times(2));

    HttpResponse<Buffer> first = send("1");
    HttpResponse<Buffer> second = send("2");
    HttpResponse<Buffer> third = send("3");

    assertThat(first.statusCode()).isEqualTo(429);
    assertThat(first.getHeader("Retry-After")).isEqualTo("3");
    JsonObject error = first.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getInteger("code")).isEqualTo(130429);
    assertThat(error.getInteger("error_subcode")).isEqualTo(2494055);
    assertThat(error.getJsonObject("error_data").getString("messaging_product")).isEqualTo("whatsapp");
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(simulator.faults()).isEmpty();
  }

  @Test
  @DisplayName("each Meta error fault answers its status and code")
  void errorFaults() {
    record Case(SimulatedFault fault, int status, int code) {
    }
    List<Case> cases = List.of(
        new Case(SimulatedFault.pairRateLimit(), 400, 131056),
        new Case(SimulatedFault.outsideWindow(), 400, 131047),
        new Case(SimulatedFault.templateLanguageMissing(), 404, 132001),
        new Case(SimulatedFault.undeliverable(), 400, 131026),
        new Case(SimulatedFault.optedOut(), 400, 131050),
        new Case(SimulatedFault.tokenExpired(), 401, 190),
        new Case(SimulatedFault.serverError(500), 500, 131000),
        new Case(SimulatedFault.serverError(503), 503, 2));
    for (Case c : cases) {
      simulator.inject(c.fault().times(1));
      HttpResponse<Buffer> response = send("x");
      assertThat(response.statusCode()).as(c.toString()).isEqualTo(c.status());
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getInteger("code")).as(c.toString()).isEqualTo(c.code());
    }
    assertThat(send("fine").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a fault for one recipient leaves the others alone")
  void perRecipient() {
    simulator.inject(SimulatedFault.outsideWindow().forRecipient("4915112345678"));

    assertThat(send("to the usual customer").statusCode()).isEqualTo(200);
    assertThat(post(TOKEN, OutboundMessage.text("4915112345678", "hi").toJson()).statusCode()).isEqualTo(400);
    assertThat(post(TOKEN, OutboundMessage.text("4915112345678", "hi").toJson()).statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("a fault for a period ends by itself")
  void forPeriod() {
    long injected = System.nanoTime();
    simulator.inject(SimulatedFault.serverError(503).forPeriod(Duration.ofMillis(300)));

    assertThat(send("during").statusCode()).isEqualTo(503);
    // Asking again, as a client would, is the only way to see a fault end by itself.
    poll("the fault to end").until(() -> send("after").statusCode() == 200);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - injected)).as("not before its period").isGreaterThanOrEqualTo(300);
    List<Integer> statuses = simulator.requests().stream().map(RecordedRequest::status).toList();
    assertThat(statuses.subList(0, statuses.size() - 1)).as("until then, 503").containsOnly(503);
  }

  @Test
  @DisplayName("a slow fault answers normally, late; a no-answer fault never answers")
  void slowAndSilent() {
    simulator.inject(SimulatedFault.delay(Duration.ofMillis(300)).times(1));
    long start = System.nanoTime();
    assertThat(send("slow").statusCode()).isEqualTo(200);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(290);

    simulator.inject(SimulatedFault.noAnswer().times(1));
    Throwable failure = await(client.postAbs(simulator.baseUrl() + "/v23.0/" + PHONE_ID + "/messages")
        .putHeader("Authorization", "Bearer " + TOKEN).timeout(500)
        .sendJsonObject(OutboundMessage.text(CUSTOMER, "silence").toJson())
        .map(r -> (Throwable) null).otherwise(e -> e));
    assertThat(failure).isNotNull();
    assertThat(simulator.requests()).last().satisfies(r -> assertThat(r.status()).isZero());
  }

  @Test
  @DisplayName("tests can wait for N requests, and listeners hear of every accepted message")
  void awaitAndListen(VertxTestContext test) {
    Checkpoint heard = test.checkpoint(2);
    Checkpoint threeArrived = test.checkpoint();
    Checkpoint twoAccepted = test.checkpoint();
    simulator.onAccepted(m -> test.verify(() -> {
      assertThat(m.wamid()).startsWith("wamid.");
      assertThat(m.recipient()).isEqualTo(CUSTOMER);
      assertThat(m.kind()).isEqualTo("text");
      heard.flag();
    }));
    simulator.inject(SimulatedFault.serverError(500).times(1));
    var three = simulator.awaitRequests(3);
    var two = simulator.awaitAccepted(2);
    three.onComplete(test.succeeding(requests -> test.verify(() -> {
      assertThat(requests).hasSize(3);
      threeArrived.flag();
    })));
    two.onComplete(test.succeeding(requests -> test.verify(() -> {
      assertThat(requests).extracting(RecordedRequest::status).containsOnly(200);
      twoAccepted.flag();
    })));

    send("a");
    assertThat(three.isComplete()).isFalse();
    send("b");
    send("c");
  }

  @Test
  @DisplayName("faults read from JSON (for the admin API) behave like the built ones")
  void faultFromJson() {
    SimulatedFault fault = SimulatedFault.fromJson(new JsonObject().put("fault", "throughput_limit")
        .put("retryAfterSeconds", 7).put("times", 1).put("recipient", CUSTOMER));
    simulator.inject(fault);

    HttpResponse<Buffer> response = send("x");
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.getHeader("Retry-After")).isEqualTo("7");
    assertThat(SimulatedFault.fromJson(fault.toJson()).effect()).isEqualTo(fault.effect());
  }

  /** The simulator takes every type the builders make, and answers a wrong shape like Meta: 131008 or 100 with details. */
  @Nested
  class MessageTypes {

    static final String TO = CUSTOMER;
    static final String CATALOG = "367025965434465";

    @Test
    @DisplayName("every new builder's body is accepted, quoted or not")
    void acceptsEveryType() {
      List<OutboundMessage> all = List.of(
          new CtaUrlMessage(TO, "Track your parcel", "Track", "https://shop.example.com/t/1"),
          new LocationRequestMessage(TO, "Where should we deliver?"),
          new LocationMessage(TO, 19.43, -99.13, "Store", "Zócalo"),
          new ContactsMessage(TO, List.of(ContactsMessage.Contact.named("Ana Ruiz", "Ana", "Ruiz"))),
          new CarouselMessage(TO, "Picks", List.of(
              CarouselMessage.Card.withUrl("https://cdn.example.com/a.png", "A", "Buy", "https://shop.example.com/a"),
              CarouselMessage.Card.withUrl("https://cdn.example.com/b.png", "B", "Buy", "https://shop.example.com/b"))),
          new ProductMessage(TO, CATALOG, "SKU-1", null, null),
          new ProductListMessage(TO, CATALOG, "Sneakers", "Pick", null,
              List.of(new ProductListMessage.Section("Running", List.of("SKU-1")))),
          new CatalogMessage(TO, "Browse", null, null),
          new TemplateMessage(TO, "order_shipped", "en_US", List.of(Component.header(Parameter.text("Order")),
              Component.body(Parameter.named("first_name", "Ana")), Component.copyCodeButton(0, "25OFF"),
              Component.limitedTimeOffer(1_900_000_000_000L))),
          RawMessage.of(TO, new JsonObject("""
              {"type":"interactive","interactive":{"type":"address_message","body":{"text":"Where to?"},
               "action":{"name":"address_message","parameters":{"country":"IN"}}}}""")));

      for (OutboundMessage message : all) {
        assertThat(post(TOKEN, message.toJson()).statusCode()).as(message.toJson().encode()).isEqualTo(200);
        assertThat(post(TOKEN, message.inReplyTo("wamid.IN").toJson()).statusCode()).as("quoted " + message.type()).isEqualTo(200);
      }
      assertThat(simulator.requests()).hasSize(all.size() * 2);
    }

    @Test
    @DisplayName("a raw body missing what Meta requires gets 131008 naming the parameter in error_data.details")
    void missingParameters() {
      assertMissing(RawMessage.of(TO, "{\"type\":\"location\",\"location\":{\"latitude\":1}}"), "location['latitude']");
      assertMissing(RawMessage.of(TO, "{\"type\":\"contacts\",\"contacts\":[{\"name\":{}}]}"),
          "contacts[0]['name']['formatted_name'] is required");
      assertMissing(RawMessage.of(TO, """
          {"type":"interactive","interactive":{"type":"cta_url","body":{"text":"x"},
           "action":{"name":"cta_url","parameters":{"display_text":"Go"}}}}"""), "['url'] are required");
      assertMissing(RawMessage.of(TO, """
          {"type":"interactive","interactive":{"type":"carousel","body":{"text":"x"},
           "action":{"cards":[{"card_index":0,"header":{"type":"image"}},{"card_index":1}]}}}"""),
          "['cards'][0]['header'] with an image or video is required");
      assertMissing(RawMessage.of(TO, """
          {"type":"interactive","interactive":{"type":"product_list","body":{"text":"x"},
           "action":{"catalog_id":"1","sections":[]}}}"""), "interactive['header'] is required");
      assertMissing(RawMessage.of(TO, """
          {"type":"interactive","interactive":{"type":"location_request_message","action":{"name":"send_location"}}}"""),
          "interactive['body']['text'] is required");
    }

    @Test
    @DisplayName("an unknown interactive type or a contacts member that is not an array is refused with code 100")
    void wrongShapes() {
      HttpResponse<Buffer> response = post(TOKEN, RawMessage.of(TO, """
          {"type":"interactive","interactive":{"type":"hologram","action":{}}}""").toJson());
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(100);
      assertThat(details(response)).contains("interactive['type'] must be one of");

      HttpResponse<Buffer> contacts = post(TOKEN, RawMessage.of(TO, "{\"type\":\"contacts\",\"contacts\":{}}").toJson());
      assertThat(contacts.statusCode()).isEqualTo(400);
      assertThat(details(contacts)).isEqualTo("Param contacts must be an array.");
      assertThat(simulator.requests()).as("refused requests get no wamid").extracting(RecordedRequest::wamid)
          .containsOnlyNulls();
    }

    private void assertMissing(OutboundMessage message, String detail) {
      HttpResponse<Buffer> response = post(TOKEN, message.toJson());
      assertThat(response.statusCode()).as(message.toJson().encode()).isEqualTo(400);
      JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
      assertThat(error.getInteger("code")).isEqualTo(131008);
      assertThat(details(response)).contains(detail);
    }

    private static String details(HttpResponse<Buffer> response) {
      return response.bodyAsJsonObject().getJsonObject("error").getJsonObject("error_data").getString("details");
    }
  }
}
