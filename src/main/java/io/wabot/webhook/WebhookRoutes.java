package io.wabot.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wabot.common.SignatureVerifier;
import io.wabot.config.AppConfig;
import io.wabot.config.ConfigReader;
import io.wabot.config.RedisConfig;
import io.wabot.customer.CustomerDirectory;
import io.wabot.customer.CustomerIdentity;
import io.wabot.http.IngressLimits;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import io.wabot.observability.MetricNames;
import io.wabot.observability.Metrics;
import io.wabot.observability.Rejections;
import io.wabot.observability.alerts.AccountHealth;
import io.wabot.queue.JobQueue;
import io.wabot.sender.InDoubtSends;
import io.wabot.whatsapp.inbound.InboundMessage;
import io.wabot.whatsapp.inbound.InvalidPayloadException;
import io.wabot.whatsapp.inbound.StatusUpdate;
import io.wabot.whatsapp.inbound.UserPreference;
import io.wabot.whatsapp.inbound.WebhookError;
import io.wabot.whatsapp.inbound.WebhookParser;
import io.wabot.whatsapp.inbound.WebhookPayload;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Meta's webhook: {@code GET /webhook} answers the verification handshake; {@code POST /webhook}
 * reads the body as it streams with its signature checked on the way ({@link SignedBodyReader}), parses
 * every entry, resolves who each message is from through the alias map ({@link CustomerDirectory}),
 * stores each customer message as an inbound job in that customer's conversation and each status
 * report, and answers 200 only once all of it is in Redis — 503 when it is not, so that Meta delivers
 * again.
 *
 * <p>One bad object never sinks a POST: a message that cannot become a job (it names no customer, it is
 * nested too deep, its job cannot be built) is skipped, counted and kept for an operator
 * ({@link SkippedMessages}), a replayed old message is dropped ({@link WebhookIntake}), and the rest is
 * stored and answered 200. Refusals of what strangers send are counted, not logged one by one
 * ({@link Rejections}).
 */
public final class WebhookRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);
  private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
  static final String SENDER_ISSUE_METRIC = "wabot.webhook.sender_issues";
  static final String UNKNOWN_RECIPIENT_METRIC = "wabot.webhook.status_unknown_recipient";

  private final Vertx vertx;
  private final AppConfig config;
  private final JobQueue inbound;
  private final StatusStore statuses;
  private final CustomerDirectory customers;
  private final SkippedMessages skippedStore;
  private final byte[] verifyToken;
  private final Rejections rejections;
  private final SignedBodyReader bodies;
  private final WebhookIntake intake;
  private final CircuitBreaker redisBreaker;
  private final MeterRegistry registry;
  private final AccountHealth accountHealth;

  public WebhookRoutes(Vertx vertx, AppConfig config, JobQueue inbound, StatusStore statuses, CustomerDirectory customers,
      SkippedMessages skipped, AccountHealth accountHealth, IngressLimits limits, Rejections rejections) {
    this.accountHealth = accountHealth;
    this.vertx = vertx;
    this.config = config;
    this.inbound = inbound;
    this.statuses = statuses;
    this.customers = customers;
    this.skippedStore = skipped;
    this.verifyToken = config.whatsapp().verifyToken().value().getBytes(StandardCharsets.UTF_8);
    this.rejections = rejections;
    this.bodies = new SignedBodyReader("webhook", config.http().webhookBodyLimit(), "http.webhookBodyLimit", limits,
        new SignatureVerifier(config.whatsapp().appSecret().value()), rejections);
    this.intake = new WebhookIntake(config.queue().inboundDedupWindow());
    this.registry = Metrics.registry(vertx);
    this.redisBreaker = redisBreaker(vertx, config.redis());
  }

  public void mount(Router router) {
    router.get("/webhook").handler(this::verify);
    router.post("/webhook").handler(ctx -> bodies.read(ctx, body -> receive(ctx, body)));
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
      rejections.rejected("verify", "token", "wrong hub.mode, hub.verify_token or hub.challenge; answered 403");
      ctx.response().setStatusCode(403).end();
    }
  }

  private void receive(RoutingContext ctx, Buffer body) {
    long receivedAt = System.currentTimeMillis();
    if (JsonNesting.depth(body, JsonNesting.MAX_BODY_DEPTH) > JsonNesting.MAX_BODY_DEPTH) {
      refuse(ctx, "too_deep", "JSON nested deeper than " + JsonNesting.MAX_BODY_DEPTH + " levels");
      return;
    }
    WebhookPayload payload;
    try {
      JsonObject json = body.toJsonObject();
      ignoreOthers(OwnChanges.keepOwn(json, config.whatsapp().phoneNumberId()));
      payload = WebhookParser.parse(json);
    } catch (DecodeException | ClassCastException e) {
      refuse(ctx, "not_json", "body is not JSON");
      return;
    } catch (InvalidPayloadException e) {
      refuse(ctx, "not_whatsapp", "not a WhatsApp webhook: " + e.getMessage());
      return;
    }
    WebhookIntake.Screened screened = intake.screen(payload, receivedAt);
    screened.replays().forEach(replay -> rejections.rejected("webhook", replay.reason(),
        "a message older than queue.inboundDedupWindow or dated in the future (a replayed body); dropped"));
    redisBreaker.<Stored>execute(() -> WebhookCustomers.resolve(customers, payload, screened.accepted()).compose(resolved -> {
          WebhookIntake.Sorted sorted = intake.jobs(screened, resolved, receivedAt);
          return Future.all(inbound.enqueue(sorted.jobs()), statuses.record(payload.statuses()), skippedStore.keep(sorted.skipped()),
                  accountHealth.apply(AccountEvents.ofBot(payload.accountEvents(), config)))
              .map(done -> new Stored(resolved, sorted, done));
        }))
        .onSuccess(done -> {
          reply(ctx, 200, null);
          List<String> stored = done.result().resultAt(0);
          StatusStore.Recorded recorded = done.result().resultAt(1);
          recorded.settled().forEach(jobId -> InDoubtSends.settled(vertx, jobId));
          logMessages(done.sorted().messages(), new HashSet<>(stored), receivedAt);
          logStatuses(payload.statuses(), recorded.changed());
          countPriced(payload.statuses(), recorded.priced());
          payload.fields().forEach(field -> registry.counter(MetricNames.WEBHOOK_FIELDS, "field", field).increment());
          AccountEvents.log(payload.accountEvents(), config);
          logUnknownRecipients(done.customers().unknownRecipients());
          logLeftOut(payload, done.sorted().skipped());
          payload.errors().forEach(this::logError);
          done.customers().preferences().forEach(this::logPreference);
        })
        .onFailure(e -> {
          if (!(e instanceof OpenCircuitException)) {
            Events.error(LOG, "webhook.store_failed").addKeyValue("messages", screened.accepted().size())
                .addKeyValue("statuses", payload.statuses().size()).addKeyValue("error", String.valueOf(e.getMessage()))
                .log("Could not store the webhook in Redis; answering 503 so Meta delivers it again");
          }
          ctx.response().putHeader("Retry-After", "30");
          reply(ctx, 503, "temporarily unable to store the webhook");
        });
  }

  /** What one POST stored: who its parts are about, what became of each, and the stores' answers. */
  private record Stored(WebhookCustomers customers, WebhookIntake.Sorted sorted, CompositeFuture result) {
  }

  private void refuse(RoutingContext ctx, String reason, String error) {
    rejections.rejected("webhook", reason, error + "; answered 400");
    reply(ctx, 400, error);
  }

  /**
   * While Redis keeps failing, answer 503 at once instead of making every webhook wait for a command
   * timeout: Meta delivers again later either way, and the event loop stays free. Only Redis's own
   * failures count: a bug or a poison payload must never make healthy traffic wait.
   */
  private static CircuitBreaker redisBreaker(Vertx vertx, RedisConfig redis) {
    CircuitBreaker breaker = CircuitBreaker.create("redis-webhook", vertx, new CircuitBreakerOptions()
            .setMaxFailures(redis.breakerMaxFailures())
            .setTimeout(redis.commandTimeout().toMillis() * 2)
            .setResetTimeout(redis.breakerOpenFor().toMillis())
            .setMaxRetries(0)
            .setNotificationAddress(null))
        .openHandler(v -> Events.error(LOG, "webhook.redis_circuit_open")
            .log("Redis keeps failing: the webhook answers 503 at once for {} (Meta delivers again later)",
                ConfigReader.format(redis.breakerOpenFor())))
        .closeHandler(v -> Events.info(LOG, "webhook.redis_circuit_closed").log("Redis answers again; webhooks are stored"));
    breaker.failurePolicy(done -> done.failed() && isRedisFailure(done.cause()));
    return breaker;
  }

  /** Redis refused, failed or did not answer; not a programming error or a payload the code cannot handle. */
  static boolean isRedisFailure(Throwable e) {
    return !(e instanceof Error || e instanceof IllegalArgumentException || e instanceof ClassCastException
        || e instanceof NullPointerException || e instanceof EncodeException || e instanceof DecodeException);
  }

  private void ignoreOthers(List<OwnChanges.Ignored> ignored) {
    for (OwnChanges.Ignored change : ignored) {
      Events.info(LOG, "webhook.change_ignored").addKeyValue("reason", change.reason())
          .addKeyValue("phone_number_id", String.valueOf(change.phoneNumberId())).addKeyValue("messages", change.messages())
          .addKeyValue("statuses", change.statuses())
          .log(change.reason().equals("no_metadata") ? "A change without metadata.phone_number_id was ignored"
              : "A change for another phone number id was ignored");
    }
  }

  private void logMessages(List<WebhookIntake.Queued> messages, Set<String> newIds, long receivedAt) {
    long tookMs = System.currentTimeMillis() - receivedAt;
    for (WebhookIntake.Queued queued : messages) {
      WebhookPayload.Received received = queued.message();
      Correlation correlation = CustomerIdentity.correlationOf(received.message().id(), queued.sender());
      if (newIds.contains(received.message().id())) {
        LoggingEventBuilder queuedEvent = Events.info(LOG, "inbound.queued", correlation).addKeyValue("type", received.message().type())
            .addKeyValue("duration_ms", tookMs);
        if (received.message() instanceof InboundMessage.Unsupported unsupported && !unsupported.errors().isEmpty()) {
          WebhookError why = unsupported.errors().get(0); // Meta's reason the bot cannot read it (131051...)
          queuedEvent = queuedEvent.addKeyValue("error_code", why.code()).addKeyValue("error_title", String.valueOf(why.title()))
              .addKeyValue("error_details", String.valueOf(why.details()));
        }
        queuedEvent.log("Inbound message queued");
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

  /** Each message once, from the first of its statuses that carried pricing. */
  private void countPriced(List<StatusUpdate> updates, List<Boolean> priced) {
    for (int i = 0; i < updates.size() && i < priced.size(); i++) {
      StatusUpdate.Pricing pricing = updates.get(i).pricing();
      if (priced.get(i) && pricing != null) {
        registry.counter(MetricNames.MESSAGES_PRICED, "category", pricing.category()).increment();
        registry.counter(MetricNames.MESSAGES_PRICED_BILLABLE, "category", pricing.category(),
            "billable", Boolean.toString(pricing.billable())).increment();
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
    registry.counter(UNKNOWN_RECIPIENT_METRIC).increment(unknown.size());
    Events.warn(LOG, "outbound.status_unknown_recipient").addKeyValue("count", unknown.size())
        .addKeyValue("recipient", unknown.get(0).recipient().masked()).addKeyValue("wamid", unknown.get(0).wamid())
        .log("{} status report(s) name only a BSUID no known customer has; recorded by message id", unknown.size());
  }

  /**
   * What was left out (a message naming no customer, nested too deep, whose job could not be built) and
   * what was ignored in messages kept (a malformed sender field): one warning per POST with the counts by
   * reason and the first id, and a counter per object, so a flood of bad payloads cannot flood the logs.
   */
  private void logLeftOut(WebhookPayload payload, List<WebhookPayload.Skipped> skipped) {
    Map<String, Integer> reasons = new TreeMap<>();
    for (WebhookPayload.Skipped s : skipped) {
      registry.counter(MetricNames.WEBHOOK_SKIPPED, "kind", s.kind(), "reason", s.reason()).increment();
      reasons.merge(s.kind() + ":" + s.reason(), 1, Integer::sum);
    }
    if (!skipped.isEmpty()) {
      WebhookPayload.Skipped first = skipped.get(0);
      Events.warn(LOG, "webhook.skipped").addKeyValue("reasons", reasons.toString())
          .addKeyValue("first_id", String.valueOf(first.id()))
          .log("Left out {} object(s) of the webhook that cannot be handled; kept for GET /admin/skipped, the rest is stored",
              skipped.size());
    }
    Map<String, Integer> issues = new TreeMap<>();
    payload.messages().forEach(r -> r.senderIssues().forEach(issue -> issues.merge(issue, 1, Integer::sum)));
    issues.forEach((issue, n) -> registry.counter(SENDER_ISSUE_METRIC, "reason", issue).increment(n));
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

  static void reply(RoutingContext ctx, int status, String error) {
    if (error == null) {
      ctx.response().setStatusCode(status).putHeader("content-type", "text/plain").end("OK");
    } else {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", error).encode());
    }
  }
}
