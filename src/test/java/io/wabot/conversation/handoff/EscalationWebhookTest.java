package io.wabot.conversation.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.wabot.config.ConversationConfig;
import io.wabot.config.Secret;
import io.wabot.observability.Correlation;
import io.wabot.queue.Job;
import io.wabot.queue.JobOutcome;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Delivery of hand-off events to a fake team webhook that answers like real ones do. */
class EscalationWebhookTest {

  Vertx vertx;
  HttpServer server;
  final AtomicInteger status = new AtomicInteger(200);
  final AtomicReference<String> retryAfter = new AtomicReference<>();
  final AtomicReference<String> signature = new AtomicReference<>();
  final AtomicReference<String> delivery = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      signature.set(request.getHeader("X-Wabot-Signature-256"));
      delivery.set(request.getHeader("X-Wabot-Delivery"));
      if (retryAfter.get() != null) {
        request.response().putHeader("Retry-After", retryAfter.get());
      }
      request.response().setStatusCode(status.get()).end("{\"error\":\"nope\"}");
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  JobOutcome deliver(String url, String secret) throws Exception {
    ConversationConfig.Escalation config = new ConversationConfig.Escalation(Duration.ofHours(24), url,
        secret == null ? null : new Secret(secret), Duration.ofSeconds(2), null, 1);
    EscalationWebhook webhook = new EscalationWebhook(vertx, config);
    JsonObject payload = new JsonObject().put("event", new JsonObject().put("event", "handoff.requested"))
        .put("correlation", Correlation.ofInbound("wamid.1", "16505551234").toJson());
    Job job = new Job("wamid.1:notify", "notify", "16505551234", payload, 1, 0, 0, null, null);
    return webhook.handle(job).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hook";
  }

  @Test
  @DisplayName("a 2xx answer completes the delivery, signed and with a stable delivery id")
  void delivered() throws Exception {
    status.set(204);
    assertThat(deliver(url(), "s3cret")).isInstanceOf(JobOutcome.Done.class);
    assertThat(signature.get()).startsWith("sha256=").hasSize(71);
    assertThat(delivery.get()).isEqualTo("wamid.1:notify");
  }

  @Test
  @DisplayName("5xx and 429 are retried, honouring Retry-After")
  void retried() throws Exception {
    status.set(503);
    assertThat(deliver(url(), null)).isInstanceOfSatisfying(JobOutcome.RetryLater.class, r -> assertThat(r.delay()).isNull());
    assertThat(signature.get()).isNull();
    status.set(429);
    retryAfter.set("30");
    assertThat(deliver(url(), null)).isInstanceOfSatisfying(JobOutcome.RetryLater.class,
        r -> assertThat(r.delay()).isEqualTo(Duration.ofSeconds(30)));
  }

  @Test
  @DisplayName("a 4xx cannot succeed: dead-lettered with the answer's status and size, for an operator to replay; never"
      + " its text, which may quote the customer")
  void rejected() throws Exception {
    status.set(400);
    assertThat(deliver(url(), null)).isInstanceOfSatisfying(JobOutcome.DeadLetter.class,
        d -> assertThat(d.reason()).isEqualTo("escalation webhook answered 400 (no content type, 16 bytes)"));
  }

  @Test
  @DisplayName("an unreachable webhook is retried")
  void unreachable() throws Exception {
    int port = server.actualPort();
    server.close().toCompletionStage().toCompletableFuture().get();
    assertThat(deliver("http://127.0.0.1:" + port + "/hook", null)).isInstanceOf(JobOutcome.RetryLater.class);
  }
}
