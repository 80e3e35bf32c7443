package io.wabot.conversation.handoff;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.wabot.common.RetryAfter;
import io.wabot.common.SignatureVerifier;
import io.wabot.config.ConversationConfig;
import io.wabot.observability.Events;
import io.wabot.queue.Job;
import io.wabot.queue.JobHandler;
import io.wabot.queue.JobOutcome;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers hand-off events to the sales team's webhook: the {@link JobHandler} of the {@code notify}
 * queue, so a delivery survives restarts and is retried with the queue's back-off until the team's
 * system accepts it (any 2xx).
 *
 * <p>Each request is a {@code POST} of the event as JSON with {@code X-Wabot-Event} (its type),
 * {@code X-Wabot-Delivery} (a stable id: the same on every retry, for the receiver to deduplicate) and,
 * when {@code ESCALATION_WEBHOOK_SECRET} is set, {@code X-Wabot-Signature-256: sha256=<hex HMAC-SHA256
 * of the body>}. 408, 425, 429 and 5xx answers, timeouts and connection errors are retried (honouring
 * {@code Retry-After}); other 4xx answers cannot succeed and go to the dead-letter queue, where an
 * operator can replay them.
 */
public final class EscalationWebhook implements JobHandler {

  /** A team endpoint asking to wait longer than this is waited for this long, then tried again. */
  static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

  private static final Logger LOG = LoggerFactory.getLogger(EscalationWebhook.class);

  private final WebClient client;
  private final ConversationConfig.Escalation config;
  /** The same signature scheme Meta uses for our webhook, so receivers can reuse their check. */
  private final SignatureVerifier signer;

  public EscalationWebhook(Vertx vertx, ConversationConfig.Escalation config) {
    this.config = config;
    this.signer = config.webhookSecret() == null ? null : new SignatureVerifier(config.webhookSecret().value());
    this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("whatsapp-chatbot/escalation")
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.webhookTimeout().toMillis())));
  }

  @Override
  public Future<JobOutcome> handle(Job job) {
    JsonObject event = job.payload().getJsonObject("event");
    if (event == null) {
      return Future.succeededFuture(JobOutcome.deadLetter("the job holds no event"));
    }
    if (config.webhookUrl() == null) {
      Events.warn(LOG, "escalation.webhook_unset", job.correlation())
          .log("A hand-off event is waiting but ESCALATION_WEBHOOK_URL is no longer set; dropped");
      return Future.succeededFuture(JobOutcome.done());
    }
    Buffer body = Buffer.buffer(event.encode());
    var request = client.postAbs(config.webhookUrl())
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Wabot-Event", event.getString("event", "unknown"))
        .putHeader("X-Wabot-Delivery", job.id());
    if (config.webhookSecret() != null) {
      request.putHeader("X-Wabot-Signature-256", signer.sign(body));
    }
    return request.sendBuffer(body)
        .timeout(config.webhookTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .map(response -> outcome(job, event, response))
        .otherwise(e -> {
          Events.warn(LOG, "escalation.webhook_unreachable", job.correlation()).addKeyValue("attempt", job.attempts())
              .addKeyValue("error", String.valueOf(e.getMessage())).log("Escalation webhook unreachable; retrying later");
          return JobOutcome.retry("escalation webhook unreachable: " + e.getMessage());
        });
  }

  private JobOutcome outcome(Job job, JsonObject event, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      Events.info(LOG, "escalation.delivered", job.correlation()).addKeyValue("event_type", event.getString("event"))
          .addKeyValue("status", status).log("Hand-off event delivered to the team");
      return JobOutcome.done();
    }
    if (status == 408 || status == 425 || status == 429 || status >= 500) {
      Duration asked = RetryAfter.parse(response.getHeader("Retry-After"));
      Duration delay = asked == null ? null : asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked;
      Events.warn(LOG, "escalation.webhook_retry", job.correlation()).addKeyValue("status", status)
          .addKeyValue("attempt", job.attempts()).log("Escalation webhook answered {}; retrying later", status);
      return delay == null ? JobOutcome.retry("escalation webhook answered " + status)
          : JobOutcome.retryAfter(delay, "escalation webhook answered " + status);
    }
    Events.error(LOG, "escalation.webhook_rejected", job.correlation()).addKeyValue("status", status)
        .log("Escalation webhook rejected the event ({}); kept in the dead-letter queue", status);
    // The reason is logged (job.dead_lettered) and shipped: the answer's kind and size, never its text, which may quote
    // the event it refused (validation frameworks echo their input: the customer's number and name).
    String type = response.getHeader("content-type");
    Buffer body = response.body();
    return JobOutcome.deadLetter("escalation webhook answered " + status + " (" + (type == null ? "no content type" : type)
        + ", " + (body == null ? 0 : body.length()) + " bytes)");
  }

  public void close() {
    client.close();
  }
}
