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
import io.wabot.config.NumberConfig;
import io.wabot.customer.CustomerDirectories;
import io.wabot.customer.CustomerDirectory;
import io.wabot.customer.CustomerIdentity;
import io.wabot.http.IngressLimits;
import io.wabot.numbers.BusinessNumbers;
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
import java.util.ArrayList;
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
 * Meta's webhook: {@code GET /webhook} answers the verification handshake (any served number's app's verify
 * token); {@code POST /webhook} reads the body as it streams with its signature checked on the way against each
 * app secret ({@link SignedBodyReader}), splits it by business number, keeping only the numbers of the app that
 * signed it ({@link NumberChanges}), parses every entry, resolves who each message is from through that number's
 * alias map ({@link CustomerDirectory}),
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

  static final String CHANGES_IGNORED_METRIC = "wabot.webhook.changes_ignored";

  private final Vertx vertx;
  private final JobQueue inbound;
  private final StatusStore statuses;
  private final CustomerDirectories directories;
  private final BusinessNumbers numbers;
  private final SkippedMessages skippedStore;
  private final Rejections rejections;
  private final SignedBodyReader bodies;
  private final WebhookIntake intake;
  private final CircuitBreaker redisBreaker;
  private final MeterRegistry registry;
  private final AccountHealth accountHealth;
  /**
   * @param numbers     the numbers served, looked up at each request (a reload takes effect at the next one)
   * @param directories the alias map of each number
   */
  public WebhookRoutes(Vertx vertx, AppConfig config, JobQueue inbound, StatusStore statuses, CustomerDirectories directories,
      BusinessNumbers numbers, SkippedMessages skipped, AccountHealth accountHealth, IngressLimits limits, Rejections rejections) {
    this.accountHealth = accountHealth;
    this.vertx = vertx;
    this.inbound = inbound;
    this.statuses = statuses;
    this.directories = directories;
    this.numbers = numbers;
    this.skippedStore = skipped;
    this.rejections = rejections;
    this.bodies = new SignedBodyReader("webhook", config.http().webhookBodyLimit(), "http.webhookBodyLimit", limits,
        new AppSignatures(numbers), rejections);
    this.intake = new WebhookIntake(config.queue().inboundDedupWindow());
    this.registry = Metrics.registry(vertx);
    this.redisBreaker = redisBreaker(vertx, config.redis());
  }

  public void mount(Router router) {
    router.get("/webhook").handler(this::verify);
    router.post("/webhook").handler(ctx -> bodies.readSigned(ctx, (body, signer) -> receive(ctx, body, signer)));
  }

  /** The served numbers whose app's secret is the one that signed the body, asked when the body ends. */
  private List<NumberConfig> signedFor(SignatureVerifier signer) {
    return numbers.all().stream().filter(n -> signer.hasSecret(n.appSecret().value())).toList();
  }

  /** Meta's handshake when an app's webhook is set up: each app has its verify token, any served number's is accepted. */
  private void verify(RoutingContext ctx) {
    String mode;
    String token;
    String challenge;
    try {
      mode = ctx.request().getParam("hub.mode");
      token = ctx.request().getParam("hub.verify_token");
      challenge = ctx.request().getParam("hub.challenge");
    } catch (IllegalArgumentException e) {
      // A query that cannot be decoded (a bad %-escape, as scanners send): the client's fault, counted with the other
      // refusals, never an error logged a request (Vert.x Web would answer 500 with a stack trace).
      rejections.rejected("verify", "bad_query", "query string cannot be decoded; answered 400");
      ctx.response().setStatusCode(400).end();
      return;
    }
    NumberConfig app = token == null ? null : numbers.all().stream()
        .filter(n -> MessageDigest.isEqual(n.verifyToken().value().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8)))
        .findFirst().orElse(null);
    if ("subscribe".equals(mode) && app != null && challenge != null && CHALLENGE.matcher(challenge).matches()) {
      Events.info(LOG, "webhook.verified").addKeyValue("number", app.label())
          .log("Webhook verification handshake accepted (the app of {})", app.label());
      ctx.response().putHeader("content-type", "text/plain").end(challenge);
    } else {
      rejections.rejected("verify", "token", "wrong hub.mode, hub.verify_token or hub.challenge; answered 403");
      ctx.response().setStatusCode(403).end();
    }
  }

  /** One number's share of a POST, parsed and screened. */
  private record Intake(NumberConfig number, WebhookPayload payload, WebhookIntake.Screened screened) {
  }

  /**
   * A signed body, read whole. It runs in the body's end handler, outside Vert.x Web's failure routing: anything
   * that escapes it unforeseen (a bug) is routed there (logged as {@code http.error}, answered 500), so that the
   * request is answered rather than held until the idle timeout.
   */
  private void receive(RoutingContext ctx, Buffer body, SignatureVerifier signer) {
    try {
      receiveSigned(ctx, body, signer);
    } catch (RuntimeException e) {
      if (!ctx.response().ended()) {
        ctx.fail(e);
      }
    }
  }

  private void receiveSigned(RoutingContext ctx, Buffer body, SignatureVerifier signer) {
    long receivedAt = System.currentTimeMillis();
    if (JsonNesting.depth(body, JsonNesting.MAX_BODY_DEPTH) > JsonNesting.MAX_BODY_DEPTH) {
      refuse(ctx, "too_deep", "JSON nested deeper than " + JsonNesting.MAX_BODY_DEPTH + " levels");
      return;
    }
    List<Intake> intakes = new ArrayList<>();
    try {
      JsonObject json = body.toJsonObject();
      NumberChanges.Split split = NumberChanges.split(json, WebhookParser.entries(json), numbers, signedFor(signer));
      ignoreOthers(split.ignored());
      for (NumberChanges.Part part : split.parts()) {
        WebhookPayload payload = WebhookParser.parse(part.body());
        intakes.add(new Intake(part.number(), payload, intake.screen(payload, receivedAt)));
      }
    } catch (DecodeException | ClassCastException e) {
      refuse(ctx, "not_json", "body is not JSON");
      return;
    } catch (InvalidPayloadException e) {
      refuse(ctx, "not_whatsapp", "not a WhatsApp webhook: " + e.getMessage());
      return;
    }
    intakes.forEach(in -> in.screened().replays().forEach(replay -> rejections.rejected("webhook", replay.reason(),
        "a message older than queue.inboundDedupWindow or dated in the future (a replayed body); dropped")));
    redisBreaker.<List<Stored>>execute(() -> Future.all(intakes.stream().map(in -> store(in, receivedAt)).toList())
            .map(CompositeFuture::<Stored>list))
        .onSuccess(stored -> {
          if (intakes.stream().anyMatch(in -> in.payload().messageUnread())) {
            reply(ctx, 500, "a message could not be read; the rest is stored");
          } else {
            reply(ctx, 200, null);
          }
          stored.forEach(done -> report(done, receivedAt));
        })
        .onFailure(e -> {
          if (!(e instanceof OpenCircuitException)) {
            Events.error(LOG, "webhook.store_failed")
                .addKeyValue("messages", intakes.stream().mapToInt(in -> in.screened().accepted().size()).sum())
                .addKeyValue("statuses", intakes.stream().mapToInt(in -> in.payload().statuses().size()).sum())
                .addKeyValue("error", String.valueOf(e.getMessage()))
                .log("Could not store the webhook in Redis; answering 503 so Meta delivers it again");
          }
          ctx.response().putHeader("Retry-After", "30");
          reply(ctx, 503, "temporarily unable to store the webhook");
        });
  }

  /** One number's share in Redis: its customers resolved in its own alias map, then its jobs, statuses and conditions. */
  private Future<Stored> store(Intake in, long receivedAt) {
    String id = in.number().phoneNumberId();
    return WebhookCustomers.resolve(directories.of(id), in.payload(), in.screened().accepted()).compose(resolved -> {
      WebhookIntake.Sorted sorted = intake.jobs(in.screened(), resolved, receivedAt, id);
      return Future.all(inbound.enqueue(sorted.jobs()), statuses.record(in.payload().statuses()), skippedStore.keep(sorted.skipped()),
              accountHealth.apply(AccountEvents.ofBot(in.payload().accountEvents(), in.number().conversation())))
          .map(done -> new Stored(in, resolved, sorted, done));
    });
  }

  /** Logs and counts what one number's share became, under its label. */
  private void report(Stored done, long receivedAt) {
    WebhookPayload payload = done.intake().payload();
    String label = done.intake().number().label();
    List<String> stored = done.result().resultAt(0);
    StatusStore.Recorded recorded = done.result().resultAt(1);
    recorded.settled().forEach(jobId -> InDoubtSends.settled(vertx, jobId));
    logMessages(done.sorted().messages(), new HashSet<>(stored), receivedAt, label);
    logStatuses(payload.statuses(), recorded.changed(), label);
    countPriced(payload.statuses(), recorded.priced(), label);
    payload.fields().forEach(field -> registry.counter(MetricNames.WEBHOOK_FIELDS, "field", field, "number", label).increment());
    AccountEvents.log(payload.accountEvents(), done.intake().number().conversation(), label);
    logUnknownRecipients(done.customers().unknownRecipients(), label);
    logLeftOut(payload, done.sorted().skipped(), label);
    payload.errors().forEach(error -> logError(error, label));
    done.customers().preferences().forEach(preference -> logPreference(preference, label));
  }

  /** What one POST stored: who its parts are about, what became of each, and the stores' answers. */
  private record Stored(Intake intake, WebhookCustomers customers, WebhookIntake.Sorted sorted, CompositeFuture result) {
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

  /**
   * One event and one count per change left out. The event names the raw id of a number not served (what an
   * operator needs to add it); the counter only its label, {@code unknown} for those, so its labels stay bounded.
   */
  private void ignoreOthers(List<NumberChanges.Ignored> ignored) {
    for (NumberChanges.Ignored change : ignored) {
      registry.counter(CHANGES_IGNORED_METRIC, "reason", change.reason(), "number", change.label()).increment();
      Events.info(LOG, "webhook.change_ignored").addKeyValue("reason", change.reason())
          .addKeyValue("phone_number_id", String.valueOf(change.phoneNumberId())).addKeyValue("number", change.label())
          .addKeyValue("messages", change.messages()).addKeyValue("statuses", change.statuses())
          .log(switch (change.reason()) {
            case NumberChanges.NO_METADATA -> "A change without metadata.phone_number_id was ignored";
            case NumberChanges.OTHER_APP -> "A change for number " + change.label() + " signed by another Meta app's secret was ignored";
            default -> "A change for a phone number id this deployment does not serve was ignored";
          });
    }
  }

  private void logMessages(List<WebhookIntake.Queued> messages, Set<String> newIds, long receivedAt, String label) {
    long tookMs = System.currentTimeMillis() - receivedAt;
    for (WebhookIntake.Queued queued : messages) {
      WebhookPayload.Received received = queued.message();
      Correlation correlation = CustomerIdentity.correlationOf(received.message().id(), queued.sender());
      if (newIds.contains(received.message().id())) {
        LoggingEventBuilder queuedEvent = Events.info(LOG, "inbound.queued", correlation).addKeyValue("type", received.message().type())
            .addKeyValue("duration_ms", tookMs).addKeyValue("number", label);
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
        Events.info(LOG, "inbound.duplicate", correlation).addKeyValue("number", label).log("Inbound message delivered again; already queued, ignored");
      }
    }
  }

  private void logStatuses(List<StatusUpdate> updates, List<Boolean> changed, String label) {
    for (int i = 0; i < updates.size(); i++) {
      StatusUpdate update = updates.get(i);
      Correlation correlation = new Correlation("", update.recipient().masked(), update.wamid());
      if (update.status() == StatusUpdate.Status.FAILED) {
        WebhookError error = update.errors().isEmpty() ? new WebhookError(0, "", "", "") : update.errors().get(0);
        Events.warn(LOG, "outbound.delivery_failed", correlation).addKeyValue("code", error.code()).addKeyValue("number", label)
            .addKeyValue("title", String.valueOf(error.title())).addKeyValue("stored", changed.get(i))
            .log("Meta could not deliver a message: {}", error.title());
      } else {
        Events.info(LOG, "outbound.status", correlation).addKeyValue("status", update.status().wireName())
            .addKeyValue("number", label)
            .addKeyValue("stored", changed.get(i))
            .log(changed.get(i) ? "Message status moved forward" : "Older or repeated status ignored");
      }
    }
  }

  /** Each message once, from the first of its statuses that carried pricing. */
  private void countPriced(List<StatusUpdate> updates, List<Boolean> priced, String label) {
    for (int i = 0; i < updates.size() && i < priced.size(); i++) {
      StatusUpdate.Pricing pricing = updates.get(i).pricing();
      if (priced.get(i) && pricing != null) {
        registry.counter(MetricNames.MESSAGES_PRICED, "category", pricing.category(), "number", label).increment();
        registry.counter(MetricNames.MESSAGES_PRICED_BILLABLE, "category", pricing.category(),
            "billable", Boolean.toString(pricing.billable()), "number", label).increment();
      }
    }
  }

  /**
   * Statuses naming only a BSUID nobody in the alias map has (stored by message id all the same): a
   * message this bot never sent to a customer it knows. One line per POST; the counter has each.
   */
  private void logUnknownRecipients(List<StatusUpdate> unknown, String label) {
    if (unknown.isEmpty()) {
      return;
    }
    registry.counter(UNKNOWN_RECIPIENT_METRIC, "number", label).increment(unknown.size());
    Events.warn(LOG, "outbound.status_unknown_recipient").addKeyValue("count", unknown.size()).addKeyValue("number", label)
        .addKeyValue("recipient", unknown.get(0).recipient().masked()).addKeyValue("wamid", unknown.get(0).wamid())
        .log("{} status report(s) name only a BSUID no known customer has; recorded by message id", unknown.size());
  }

  /**
   * What was left out (a message naming no customer, nested too deep, whose job could not be built) and
   * what was ignored in messages kept (a malformed sender field): one warning per POST with the counts by
   * reason and the first id, and a counter per object, so a flood of bad payloads cannot flood the logs.
   */
  private void logLeftOut(WebhookPayload payload, List<WebhookPayload.Skipped> skipped, String label) {
    Map<String, Integer> reasons = new TreeMap<>();
    for (WebhookPayload.Skipped s : skipped) {
      registry.counter(MetricNames.WEBHOOK_SKIPPED, "kind", s.kind(), "reason", s.reason(), "number", label).increment();
      reasons.merge(s.kind() + ":" + s.reason(), 1, Integer::sum);
    }
    if (!skipped.isEmpty()) {
      WebhookPayload.Skipped first = skipped.get(0);
      Events.warn(LOG, "webhook.skipped").addKeyValue("reasons", reasons.toString()).addKeyValue("number", label)
          .addKeyValue("first_id", String.valueOf(first.id()))
          .log("Left out {} object(s) of the webhook that cannot be handled; kept for GET /admin/skipped, the rest is stored",
              skipped.size());
    }
    Map<String, Integer> issues = new TreeMap<>();
    payload.messages().forEach(r -> r.senderIssues().forEach(issue -> issues.merge(issue, 1, Integer::sum)));
    issues.forEach((issue, n) -> registry.counter(SENDER_ISSUE_METRIC, "reason", issue, "number", label).increment(n));
    if (!issues.isEmpty()) {
      Events.warn(LOG, "inbound.sender_field_invalid").addKeyValue("reasons", issues.toString()).addKeyValue("number", label)
          .log("Malformed sender fields ignored; the messages were attributed by their other ids");
    }
  }

  private void logError(WebhookError error, String label) {
    Events.warn(LOG, "webhook.error").addKeyValue("code", error.code()).addKeyValue("number", label).addKeyValue("title", String.valueOf(error.title()))
        .addKeyValue("details", String.valueOf(error.details())).log("Meta reported an error: {}", error.title());
  }

  private void logPreference(UserPreference preference, String label) {
    Events.info(LOG, "consent.preference", new Correlation("", preference.customer().masked(), "")).addKeyValue("number", label)
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
