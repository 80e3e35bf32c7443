package io.wabot.sandbox;

import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.wabot.common.SignatureVerifier;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The simulator's side of biz_opaque_callback_data: kept with the message, echoed in statuses as Meta does. */
class StatusReporterTest {

  static final String TOKEN = "sim-token";
  static final String PHONE_ID = "106540352242922";
  static final String SECRET = "reporter-app-secret";
  static final String CUSTOMER = "16505551234";

  private final Vertx vertx = Vertx.vertx();
  private final GraphApiSimulator simulator = new GraphApiSimulator(vertx, TOKEN, PHONE_ID);
  private final WebClient client = WebClient.create(vertx);

  @AfterEach
  void stop() {
    await(simulator.close());
    await(vertx.close());
  }

  private HttpResponse<Buffer> send(JsonObject body) {
    return await(client.postAbs(simulator.baseUrl() + "/v23.0/" + PHONE_ID + "/messages")
        .putHeader("Authorization", "Bearer " + TOKEN).sendJsonObject(body));
  }

  @Test
  @DisplayName("statuses of an accepted message are POSTed signed, echo its callback data, and are retried until the webhook takes them")
  void reportsLikeMeta() {
    List<JsonObject> taken = new CopyOnWriteArrayList<>();
    AtomicInteger refusals = new AtomicInteger(2); // the bot is "down" for the first two attempts
    SignatureVerifier verifier = new SignatureVerifier(SECRET);
    HttpServer webhook = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      if (!verifier.verify(body, request.getHeader("X-Hub-Signature-256"))) {
        request.response().setStatusCode(401).end();
      } else if (refusals.getAndDecrement() > 0) {
        request.response().setStatusCode(503).end();
      } else {
        taken.add(body.toJsonObject());
        request.response().end("OK");
      }
    }));
    int port = await(webhook.listen(0, "127.0.0.1")).actualPort();
    await(simulator.listen("127.0.0.1", 0));
    StatusReporter reporter = new StatusReporter(vertx, "http://127.0.0.1:" + port + "/webhook", SECRET, PHONE_ID)
        .attach(simulator);

    String wamid = send(OutboundMessage.text(CUSTOMER, "hi").toJson().put("biz_opaque_callback_data", "wamid.IN:r0"))
        .bodyAsJsonObject().getJsonArray("messages").getJsonObject(0).getString("id");

    poll("both statuses taken by the webhook").until(() -> taken.size() == 2);
    assertThat(taken).extracting(body -> body.getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0)
            .getJsonObject("value").getJsonArray("statuses").getJsonObject(0))
        .allSatisfy(status -> assertThat(status.getString("biz_opaque_callback_data")).isEqualTo("wamid.IN:r0"))
        .allSatisfy(status -> assertThat(status.getString("id")).isEqualTo(wamid))
        .extracting(status -> status.getString("status")).containsExactly("sent", "delivered");
    // The reporter counts a status once it has read the webhook's 200, which comes after the webhook took it.
    poll("both deliveries counted by the reporter").until(() -> reporter.delivered() == 2);
    reporter.close();
  }

  @Test
  @DisplayName("biz_opaque_callback_data longer than 512 characters is refused as Meta refuses it")
  void callbackDataLimit() {
    await(simulator.listen("127.0.0.1", 0));
    HttpResponse<Buffer> answer = send(OutboundMessage.text(CUSTOMER, "hi").toJson()
        .put("biz_opaque_callback_data", "x".repeat(513)));
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(100);
  }

  @Test
  @DisplayName("a simulator serving two numbers: each message's statuses come under the number that sent it")
  void statusesUnderTheSendingNumber() {
    String second = "106540352242999";
    GraphApiSimulator two = new GraphApiSimulator(vertx, () -> java.util.Map.of(PHONE_ID, TOKEN, second, "second-token"));
    List<JsonObject> taken = new CopyOnWriteArrayList<>();
    HttpServer webhook = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      taken.add(body.toJsonObject());
      request.response().end("OK");
    }));
    int port = await(webhook.listen(0, "127.0.0.1")).actualPort();
    await(two.listen("127.0.0.1", 0));
    StatusReporter reporter = new StatusReporter(vertx, "http://127.0.0.1:" + port + "/webhook", SECRET, PHONE_ID).attach(two);

    HttpResponse<Buffer> answer = await(client.postAbs(two.baseUrl() + "/v23.0/" + second + "/messages")
        .putHeader("Authorization", "Bearer second-token").sendJsonObject(OutboundMessage.text(CUSTOMER, "hi").toJson()));
    assertThat(answer.statusCode()).isEqualTo(200);

    poll("both statuses taken by the webhook").until(() -> taken.size() == 2);
    assertThat(taken).extracting(body -> body.getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0)
            .getJsonObject("value").getJsonObject("metadata").getString("phone_number_id"))
        .containsExactly(second, second);
    reporter.close();
    await(two.close());
  }
}
