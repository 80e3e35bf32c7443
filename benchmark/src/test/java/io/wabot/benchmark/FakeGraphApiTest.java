package io.wabot.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FakeGraphApiTest {

  private static final Duration LATENCY = Duration.ofMillis(200);
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("messages and read receipts are both answered after the Graph API's latency, and timestamped when they arrive")
  void latencyForEverySend() throws Exception {
    List<FakeGraphApi.Send> seen = new CopyOnWriteArrayList<>();
    FakeGraphApi graph = new FakeGraphApi(vertx, "token", "100", LATENCY);
    int port = await(graph.start(seen::add));
    HttpClient http = vertx.createHttpClient();

    JsonObject receipt = new JsonObject().put("messaging_product", "whatsapp").put("status", "read").put("message_id", "wamid.IN1");
    JsonObject text = new JsonObject().put("messaging_product", "whatsapp").put("to", "15550001111").put("type", "text")
        .put("text", new JsonObject().put("body", "hi"));
    for (JsonObject body : List.of(receipt, text)) {
      long sent = System.nanoTime();
      String answer = await(http.request(HttpMethod.POST, port, "127.0.0.1", "/v23.0/100/messages")
          .compose(r -> r.putHeader("Authorization", "Bearer token").send(body.toBuffer()))
          .compose(response -> response.body().map(b -> response.statusCode() + " " + b)));
      long answered = System.nanoTime();
      // A timer never fires early: the answer cannot come sooner than the latency after the request.
      assertThat(answered - sent).as("answered after the latency").isGreaterThanOrEqualTo(LATENCY.toNanos());
      assertThat(answer).startsWith("200 ");
      assertThat(seen.get(seen.size() - 1).arrivedNanos()).isBetween(sent, answered - LATENCY.toNanos());
    }
    assertThat(seen.get(0)).isInstanceOf(FakeGraphApi.ReadReceipt.class);
    assertThat(seen.get(1)).isInstanceOf(FakeGraphApi.Message.class);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
