package io.wabot.sandbox;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator serving several business numbers (issue 19), as one Meta business whose numbers belong to
 * two apps with two tokens: each number sends only with its own token on its own path, every request
 * says which number sent it, and a fault can hit one number only.
 */
@ExtendWith(VertxExtension.class)
class GraphApiSimulatorNumbersTest {

  static final String SALES = "100000000000001";
  static final String SUPPORT = "100000000000002";
  static final String SALES_TOKEN = "token-of-the-sales-app";
  static final String SUPPORT_TOKEN = "token-of-the-support-app";
  static final String CUSTOMER = "16505551234";

  final AtomicReference<Map<String, String>> tokens = new AtomicReference<>(Map.of(SALES, SALES_TOKEN, SUPPORT, SUPPORT_TOKEN));
  GraphApiSimulator simulator;
  WebClient client;

  @TempDir
  Path temp;

  /** The extension closes this Vert.x, and with it the simulator's server and the client, after each test. */
  @BeforeEach
  void start(Vertx vertx) {
    simulator = new GraphApiSimulator(vertx, tokens::get);
    await(simulator.listen("127.0.0.1", 0));
    client = WebClient.create(vertx);
  }

  HttpResponse<Buffer> send(String number, String token, String text) {
    return await(client.postAbs(simulator.baseUrl() + "/v23.0/" + number + "/messages")
        .putHeader("Authorization", "Bearer " + token).sendJsonObject(OutboundMessage.text(CUSTOMER, text).toJson()));
  }

  static JsonObject error(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error");
  }

  @Test
  @DisplayName("each number sends with its own token on its own path, and every request records the number that sent it")
  void eachNumberWithItsToken() {
    List<AcceptedMessage> heard = new CopyOnWriteArrayList<>();
    simulator.onAccepted(heard::add);

    HttpResponse<Buffer> fromSales = send(SALES, SALES_TOKEN, "sales here");
    HttpResponse<Buffer> fromSupport = send(SUPPORT, SUPPORT_TOKEN, "support here");

    assertThat(fromSales.statusCode()).isEqualTo(200);
    assertThat(fromSupport.statusCode()).isEqualTo(200);
    assertThat(simulator.requests()).extracting(RecordedRequest::number).containsExactly(SALES, SUPPORT);
    assertThat(simulator.accepted(SUPPORT)).singleElement()
        .satisfies(r -> assertThat(r.body().getJsonObject("text").getString("body")).isEqualTo("support here"));
    assertThat(simulator.accepted(SALES)).singleElement()
        .satisfies(r -> assertThat(r.toJson().getString("number")).isEqualTo(SALES));
    assertThat(heard).extracting(AcceptedMessage::number).containsExactly(SALES, SUPPORT);
    assertThat(AcceptedMessage.fromJson(heard.get(1).toJson()).number()).isEqualTo(SUPPORT);
  }

  @Test
  @DisplayName("one number's token on another number's path is refused like Meta refuses a missing permission;"
      + " a token of no number gets 190")
  void anotherNumbersToken() {
    HttpResponse<Buffer> salesTokenOnSupport = send(SUPPORT, SALES_TOKEN, "wrong app");
    HttpResponse<Buffer> unknownNumber = send("999999999", SALES_TOKEN, "nobody");
    HttpResponse<Buffer> noneOfOurs = send(SALES, "revoked-token", "hi");

    assertThat(salesTokenOnSupport.statusCode()).isEqualTo(400);
    assertThat(error(salesTokenOnSupport).getInteger("code")).isEqualTo(100);
    assertThat(error(salesTokenOnSupport).getInteger("error_subcode")).isEqualTo(33);
    assertThat(error(unknownNumber).getInteger("error_subcode")).isEqualTo(33);
    assertThat(noneOfOurs.statusCode()).isEqualTo(401);
    assertThat(error(noneOfOurs).getInteger("code")).isEqualTo(190);
    assertThat(simulator.requests()).extracting(RecordedRequest::authorized).containsOnly(false);
    assertThat(simulator.accepted()).isEmpty();
  }

  @Test
  @DisplayName("a fault for one number (a 130429, an expired token) never touches what another number sends")
  void faultOfOneNumber() {
    simulator.inject(SimulatedFault.fromJson(new JsonObject().put("fault", "throughput_limit").put("retryAfterSeconds", 3)
        .put("number", SUPPORT)));
    simulator.inject(SimulatedFault.tokenExpired().forNumber(SUPPORT).times(1));

    HttpResponse<Buffer> support = send(SUPPORT, SUPPORT_TOKEN, "held");
    HttpResponse<Buffer> sales = send(SALES, SALES_TOKEN, "flows");

    assertThat(support.statusCode()).isEqualTo(429);
    assertThat(error(support).getInteger("code")).isEqualTo(130429);
    assertThat(sales.statusCode()).isEqualTo(200);
    assertThat(simulator.faults().stream().map(JsonObject.class::cast).map(f -> f.getString("number")))
        .containsOnly(SUPPORT);
  }

  @Test
  @DisplayName("the numbers are read per request: a number added by a reload is served at once, a removed one refused")
  void followsTheNumbers() {
    String added = "100000000000003";
    assertThat(send(added, "token-of-a-new-app", "too early").statusCode()).isEqualTo(401);

    tokens.set(Map.of(SALES, SALES_TOKEN, added, "token-of-a-new-app"));

    assertThat(send(added, "token-of-a-new-app", "welcome").statusCode()).isEqualTo(200);
    assertThat(send(SUPPORT, SUPPORT_TOKEN, "gone").statusCode()).isEqualTo(401);
    assertThat(send(SUPPORT, SALES_TOKEN, "gone").statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("media: a number uploads with its own token on its own path; any number's token reads a media id")
  void mediaPerNumber() throws Exception {
    Path pdf = Files.write(temp.resolve("a.pdf"), "%PDF-1.7 tiny".getBytes());

    HttpResponse<Buffer> own = upload(SUPPORT, SUPPORT_TOKEN, pdf);
    HttpResponse<Buffer> other = upload(SUPPORT, SALES_TOKEN, pdf);
    String id = own.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> metadata = await(client.getAbs(simulator.baseUrl() + "/v23.0/" + id + "?phone_number_id=" + SALES)
        .putHeader("Authorization", "Bearer " + SALES_TOKEN).send());

    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(other.statusCode()).isEqualTo(400);
    assertThat(error(other).getJsonObject("error_data").getString("details")).contains(SUPPORT);
    assertThat(metadata.statusCode()).isEqualTo(200);
  }

  HttpResponse<Buffer> upload(String number, String token, Path file) {
    MultipartForm form = MultipartForm.create().attribute("messaging_product", "whatsapp").attribute("type", "application/pdf")
        .binaryFileUpload("file", file.getFileName().toString(), file.toString(), "application/pdf");
    return await(client.postAbs(simulator.baseUrl() + "/v23.0/" + number + "/media")
        .putHeader("Authorization", "Bearer " + token).sendMultipartForm(form), Duration.ofSeconds(15));
  }
}
