package io.wabot.webhook;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.wabot.config.AppConfig;
import io.wabot.config.ConfigReader;
import io.wabot.config.RedisConfig;
import io.wabot.customer.CustomerDirectory;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import io.wabot.observability.Metrics;
import io.wabot.queue.JobQueue;
import io.wabot.whatsapp.inbound.InvalidPayloadException;
import io.wabot.whatsapp.inbound.StatusUpdate;
import io.wabot.whatsapp.inbound.UserPreference;
import io.wabot.whatsapp.inbound.WebhookError;
import io.wabot.whatsapp.inbound.WebhookParser;
import io.wabot.whatsapp.inbound.WebhookPayload;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meta's webhook: {@code GET /webhook} answers the verification handshake; {@code POST /webhook}
 * checks the signature on the raw bytes, parses every entry, resolves who each message is from
 * through the alias map ({@link CustomerDirectory}), stores each customer message as an inbound job in
 * that customer's conversation and each status report, and answers 200 only once all of it is in
 * Redis — 503 when it is not, so that Meta delivers again.
 */
public final class WebhookRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);
  private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
  static final String SKIPPED_METRIC = "wabot.webhook.skipped";
  static final String SENDER_ISSUE_METRIC = "wabot.webhook.sender_issues";
  static final String UNKNOWN_RECIPIENT_METRIC = "wabot.webhook.status_unknown_recipient";

  private final Vertx vertx;
  private final AppConfig config;
  private final JobQueue inbound;
  private final StatusStore statuses;
  private final CustomerDirectory customers;
  private final SignatureVerifier signatures;
  private final byte[] verifyToken;
  private final RejectionLog rejections;
  private final CircuitBreaker redisBreaker;

  public WebhookRoutes(Vertx vertx, AppConfig config, JobQueue inbound, StatusStore statuses, CustomerDirectory customers) {
    this.vertx = vertx;
    this.config = config;
    this.inbound = inbound;
    this.statuses = statuses;
    this.customers = customers;
    this.signatures = new SignatureVerifier(config.whatsapp().appSecret().value());
    this.verifyToken = config.whatsapp().verifyToken().value().getBytes(StandardCharsets.UTF_8);
    this.rejections = new RejectionLog(LOG, Metrics.registry(vertx), 10, TimeUnit.SECONDS);
    this.redisBreaker = redisBreaker(vertx, config.redis());
  }

  public void mount(Router router) {
    router.get("/webhook").handler(this::verify);
    router.post("/webhook")
        .handler(BodyHandler.create(false).setBodyLimit(config.http().webhookBodyLimit()))
        .handler(this::receive);
  }

  private void verify(RoutingContext ctx) {
    String mode = ctx.request().getParam("hub.mode");
    String token = ctx.request().getParam("hub.verify_token");
    String challenge = ctx.request().getParam("hub.challenge");
    boolean tokenMatches = token != null && MessageDigest.isEqual(verifyToken, token.getBytes(StandardCharsets.UTF_8));
    if ("subscribe".equals(mode) && tokenMatches && challenge != null && CHALLENGE.matcher(challenge).matches()) {
      Events.info(LOG, "webhook.verified").log("Webhook verification handshake accepted");
      ctx.response().putHeader("content-type", "text/plain").end(challenge);
    } else {
      Events.warn(LOG, "webhook.verification_refused").addKeyValue("mode", String.valueOf(mode))
          .log("Webhook verification refused: wrong mode or verify token");
      ctx.response().setStatusCode(403).end();
    }
  }

  private void receive(RoutingContext ctx) {
    long receivedAt = System.currentTimeMillis();
    Buffer body = ctx.body().buffer();
    if (body == null || !signatures.verify(body, ctx.request().getHeader("X-Hub-Signature-256"))) {
      rejections.rejected("signature", "X-Hub-Signature-256 missing or wrong", String.valueOf(ctx.request().remoteAddress()));
      reply(ctx, 401, "invalid signature");
      return;
    }
    WebhookPayload payload;
    try {
      payload = WebhookParser.parse(body.toJsonObject());
    } catch (DecodeException | ClassCastException e) {
      rejections.rejected("json", "the body is not a JSON object", String.valueOf(ctx.request().remoteAddress()));
      reply(ctx, 400, "body is not JSON");
      return;
    } catch (InvalidPayloadException e) {
      rejections.rejected("payload", e.getMessage(), String.valueOf(ctx.request().remoteAddress()));
      reply(ctx, 400, "not a WhatsApp webhook: " + e.getMessage());
      return;
    }
    List<WebhookPayload.Received> ours = ownMessages(payload);
    redisBreaker.<Stored>execute(() -> WebhookCustomers.resolve(customers, payload, ours).compose(resolved ->
            Future.all(inbound.enqueue(resolved.jobs(receivedAt)), statuses.record(payload.statuses()))
                .map(done -> new Stored(resolved, done))))
        .onSuccess(done -> {
          reply(ctx, 200, null);
          List<String> stored = done.result().resultAt(0);
          List<Boolean> recorded = done.result().resultAt(1);
          logMessages(ours, done.customers(), new HashSet<>(stored), receivedAt);
          logStatuses(payload.statuses(), recorded);
          logUnknownRecipients(done.customers().unknownRecipients());
          logLeftOut(payload);
          payload.errors().forEach(this::logError);
          done.customers().preferences().forEach(this::logPreference);
        })
        .onFailure(e -> {
          if (!(e instanceof OpenCircuitException)) {
            Events.error(LOG, "webhook.store_failed").addKeyValue("messages", ours.size())
                .addKeyValue("statuses", payload.statuses().size()).addKeyValue("error", String.valueOf(e.getMessage()))
                .log("Could not store the webhook in Redis; answering 503 so Meta delivers it again");
          }
          ctx.response().putHeader("Retry-After", "30");
          reply(ctx, 503, "temporarily unable to store the webhook");
        });
  }

  /** What one POST stored: who its parts are about, and the queue's and status store's answers. */
  private record Stored(WebhookCustomers customers, CompositeFuture result) {
  }

  /**
   * While Redis keeps failing, answer 503 at once instead of making every webhook wait for a command
   * timeout: Meta delivers again later either way, and the event loop stays free.
   */
  private static CircuitBreaker redisBreaker(Vertx vertx, RedisConfig redis) {
    return CircuitBreaker.create("redis-webhook", vertx, new CircuitBreakerOptions()
            .setMaxFailures(redis.breakerMaxFailures())
            .setTimeout(redis.commandTimeout().toMillis() * 2)
            .setResetTimeout(redis.breakerOpenFor().toMillis())
            .setMaxRetries(0)
            .setNotificationAddress(null))
        .openHandler(v -> Events.error(LOG, "webhook.redis_circuit_open")
            .log("Redis keeps failing: the webhook answers 503 at once for {} (Meta delivers again later)",
                ConfigReader.format(redis.breakerOpenFor())))
        .closeHandler(v -> Events.info(LOG, "webhook.redis_circuit_closed").log("Redis answers again; webhooks are stored"));
  }

  /** Messages sent to this bot's number; a webhook shared by several numbers carries others too. */
  private List<WebhookPayload.Received> ownMessages(WebhookPayload payload) {
    String ours = config.whatsapp().phoneNumberId();
    List<WebhookPayload.Received> own = new ArrayList<>();
    for (WebhookPayload.Received received : payload.messages()) {
      if (received.phoneNumberId() == null || received.phoneNumberId().equals(ours)) {
        own.add(received);
      } else {
        Events.info(LOG, "inbound.other_number", Correlation.ofInbound(received.message().id(), received.message().customer()))
            .log("Message for another phone number id ignored");
      }
    }
    return own;
  }

  private void logMessages(List<WebhookPayload.Received> messages, WebhookCustomers customers, Set<String> newIds,
      long receivedAt) {
    long tookMs = System.currentTimeMillis() - receivedAt;
    for (int i = 0; i < messages.size(); i++) {
      WebhookPayload.Received received = messages.get(i);
      Correlation correlation = Correlation.ofInbound(received.message().id(), customers.sender(i));
      if (newIds.contains(received.message().id())) {
        Events.info(LOG, "inbound.queued", correlation).addKeyValue("type", received.message().type())
            .addKeyValue("duration_ms", tookMs).log("Inbound message queued");
        if (LOG.isDebugEnabled()) {
          Events.debug(LOG, "inbound.body", correlation).addKeyValue("body", received.raw().encode()).log("Inbound message body");
        }
      } else {
        Events.info(LOG, "inbound.duplicate", correlation).log("Inbound message delivered again; already queued, ignored");
      }
    }
  }

  private void logStatuses(List<StatusUpdate> updates, List<Boolean> changed) {
    for (int i = 0; i < updates.size(); i++) {
      StatusUpdate update = updates.get(i);
      Correlation correlation = new Correlation("", update.recipient().masked(), update.wamid());
      if (update.status() == StatusUpdate.Status.FAILED) {
        WebhookError error = update.errors().isEmpty() ? new WebhookError(0, "", "", "") : update.errors().get(0);
        Events.warn(LOG, "outbound.delivery_failed", correlation).addKeyValue("code", error.code())
            .addKeyValue("title", String.valueOf(error.title())).addKeyValue("stored", changed.get(i))
            .log("Meta could not deliver a message: {}", error.title());
      } else {
        Events.info(LOG, "outbound.status", correlation).addKeyValue("status", update.status().wireName())
            .addKeyValue("stored", changed.get(i))
            .log(changed.get(i) ? "Message status moved forward" : "Older or repeated status ignored");
      }
    }
  }

  /**
   * Statuses naming only a BSUID nobody in the alias map has (stored by message id all the same): a
   * message this bot never sent to a customer it knows. One line per POST; the counter has each.
   */
  private void logUnknownRecipients(List<StatusUpdate> unknown) {
    if (unknown.isEmpty()) {
      return;
    }
    Metrics.registry(vertx).counter(UNKNOWN_RECIPIENT_METRIC).increment(unknown.size());
    Events.warn(LOG, "outbound.status_unknown_recipient").addKeyValue("count", unknown.size())
        .addKeyValue("recipient", unknown.get(0).recipient().masked()).addKeyValue("wamid", unknown.get(0).wamid())
        .log("{} status report(s) name only a BSUID no known customer has; recorded by message id", unknown.size());
  }

  /**
   * What the parser left out (a message naming no customer) and what it ignored in messages it kept (a
   * malformed sender field): one warning per POST with the counts by reason and the first message id,
   * and a counter per reason, so a flood of bad payloads cannot flood the logs.
   */
  private void logLeftOut(WebhookPayload payload) {
    Map<String, Integer> skipped = new TreeMap<>();
    for (WebhookPayload.Skipped s : payload.skipped()) {
      Metrics.registry(vertx).counter(SKIPPED_METRIC, "kind", s.kind(), "reason", s.reason()).increment();
      skipped.merge(s.kind() + ":" + s.reason(), 1, Integer::sum);
    }
    if (!skipped.isEmpty()) {
      WebhookPayload.Skipped first = payload.skipped().get(0);
      Events.warn(LOG, "webhook.skipped").addKeyValue("reasons", skipped.toString())
          .addKeyValue("first_id", String.valueOf(first.id()))
          .log("Left out {} object(s) of the webhook that name no customer or cannot be tracked; the rest was processed",
              payload.skipped().size());
    }
    Map<String, Integer> issues = new TreeMap<>();
    payload.messages().forEach(r -> r.senderIssues().forEach(issue -> issues.merge(issue, 1, Integer::sum)));
    issues.forEach((issue, n) -> Metrics.registry(vertx).counter(SENDER_ISSUE_METRIC, "reason", issue).increment(n));
    if (!issues.isEmpty()) {
      Events.warn(LOG, "inbound.sender_field_invalid").addKeyValue("reasons", issues.toString())
          .log("Malformed sender fields ignored; the messages were attributed by their other ids");
    }
  }

  private void logError(WebhookError error) {
    Events.warn(LOG, "webhook.error").addKeyValue("code", error.code()).addKeyValue("title", String.valueOf(error.title()))
        .addKeyValue("details", String.valueOf(error.details())).log("Meta reported an error: {}", error.title());
  }

  private void logPreference(UserPreference preference) {
    Events.info(LOG, "consent.preference", new Correlation("", preference.customer().masked(), ""))
        .addKeyValue("category", String.valueOf(preference.category())).addKeyValue("value", String.valueOf(preference.value()))
        .log("Customer changed a messaging preference; queued for the consent hook");
  }

  private static void reply(RoutingContext ctx, int status, String error) {
    if (error == null) {
      ctx.response().setStatusCode(status).putHeader("content-type", "text/plain").end("OK");
    } else {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", error).encode());
    }
  }
}
