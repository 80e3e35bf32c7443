package io.wabot.flows;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.customer.CustomerDirectory;
import io.wabot.http.IngressLimits;
import io.wabot.numbers.BusinessNumbers;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import io.wabot.observability.Metrics;
import io.wabot.observability.Rejections;
import io.wabot.webhook.AppSignatures;
import io.wabot.webhook.SignedBodyReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /flows}, the data-exchange endpoint of WhatsApp Flows, as Meta's specification has it:
 * the signature ({@code X-Hub-Signature-256}, HMAC-SHA256 of the raw body with the app secret) is
 * checked as the body streams, within the same ingress budget as the webhook ({@link SignedBodyReader}:
 * 401 when missing or wrong, 413 when too large), the AES key is decrypted with the private key and the
 * payload with AES-128-GCM (421 when that fails, which makes Meta's client fetch the public key again and retry),
 * {@link FlowExchange} decides the answer, and the answer goes back encrypted with the same key and
 * the flipped IV, base64 as {@code text/plain}. Without {@code WHATSAPP_FLOWS_PRIVATE_KEY} the route
 * does not exist (404).
 *
 * <p>Every request counts in {@code wabot.flows.requests} (tags {@code action}, {@code outcome}) or,
 * refused before decryption, in {@code wabot.http.rejected} (tags {@code endpoint="flows"},
 * {@code reason}; logged as a summary per interval, see {@link Rejections}). Events carry the flow, action, screen, outcome and masked customer; never the
 * form data or the key.
 */
public final class FlowsRoutes {

  public static final String REQUESTS = "wabot.flows.requests";
  public static final String LATENCY = "wabot.flows.latency";

  private static final Logger LOG = LoggerFactory.getLogger(FlowsRoutes.class);

  private final Vertx vertx;
  private final AppConfig config;
  private final SignedBodyReader bodies;
  private final FlowExchange exchange;
  private final Rejections rejections;
  private final MeterRegistry registry;

  public FlowsRoutes(Vertx vertx, AppConfig config, FlowsSetup setup, Redis redis, IngressLimits limits, Rejections rejections) {
    this.vertx = vertx;
    this.config = config;
    // Any served app's secret, as on the webhook: a deployment with numbers of several Meta apps serves their Flows
    // too, and a reload that rotates a secret reaches this endpoint at its next request.
    this.bodies = new SignedBodyReader("flows", config.flows().bodyLimit(), "flows.bodyLimit", limits,
        new AppSignatures(BusinessNumbers.of(vertx, config.whatsapp())), rejections);
    this.exchange = new FlowExchange(setup, new FlowTokens(redis, config), config.flows().handlerTimeout());
    this.registry = Metrics.registry(vertx);
    this.rejections = rejections;
  }

  /**
   * Mounts {@code POST /flows} when a key is configured; otherwise nothing, so the path answers 404.
   * The flow definitions and handlers are loaded first: the future completes once the route serves.
   */
  public static Future<Void> mount(Vertx vertx, AppConfig config, Redis redis, Router router, IngressLimits limits,
      Rejections rejections, Supplier<Future<List<FlowEndpointHandler>>> handlers) {
    if (!config.flows().enabled()) {
      return Future.succeededFuture();
    }
    return FlowsSetup.load(vertx, config, handlers).map(setup -> {
      new FlowsRoutes(vertx, config, setup, redis, limits, rejections).mountOn(router);
      return null;
    });
  }

  /** Mounts {@code POST /flows} serving this setup's flows. */
  public void mountOn(Router router) {
    router.post("/flows").handler(ctx -> bodies.read(ctx, body -> receive(ctx, body)));
  }

  /** A body whose signature is right (the {@link SignedBodyReader} answered every other one, 401 or 413). */
  private void receive(RoutingContext ctx, Buffer body) {
    long started = System.nanoTime();
    FlowCrypto.EncryptedRequest request = envelope(body);
    if (request == null) {
      rejections.rejected("flows", "bad_request", "the body is not {encrypted_flow_data, encrypted_aes_key, initial_vector}");
      ctx.response().setStatusCode(400).end();
      return;
    }
    vertx.executeBlocking(() -> FlowCrypto.decryptRequest(config.flows().key().privateKey(), request), false)
        .onFailure(e -> {
          rejections.rejected("flows", "undecryptable", "the payload does not decrypt with our private key (a rotated public key?):"
              + " answering 421 so Meta's client fetches the current one");
          ctx.response().setStatusCode(421).end();
        })
        .onSuccess(decrypted -> exchange.answer(decrypted.payload())
            .onComplete(done -> {
              if (done.succeeded()) {
                respond(ctx, decrypted, done.result(), started);
              } else {
                // A Redis failure while checking the token, or a bug: an answer all the same, never a hang.
                Events.error(LOG, "flows.failed").addKeyValue("error", done.cause().getClass().getSimpleName())
                    .log("A Flows request could not be answered");
                count("unknown", "failed", started);
                ctx.response().setStatusCode(500).end();
              }
            }));
  }

  private void respond(RoutingContext ctx, FlowCrypto.Decrypted decrypted, FlowExchange.Answer answer, long started) {
    if (!answer.hasBody()) {
      finish(ctx, answer.status(), null, answer, answer.outcome().tag(), started);
      return;
    }
    byte[] json = answer.body().encode().getBytes(StandardCharsets.UTF_8);
    if (json.length > config.flows().responseLimit()) {
      finish(ctx, 500, null, answer, "response_too_large", started);
      return;
    }
    finish(ctx, answer.status(), FlowCrypto.encryptResponse(json, decrypted.aesKey(), decrypted.iv()), answer,
        answer.outcome().tag(), started);
  }

  private void finish(RoutingContext ctx, int status, String encrypted, FlowExchange.Answer answer, String outcome, long started) {
    // Counted and logged before the answer leaves: whoever sees the answer can rely on its event.
    long tookMs = count(answer.action(), outcome, started);
    log(answer, status, outcome, tookMs);
    if (encrypted == null) {
      ctx.response().setStatusCode(status).end();
    } else {
      ctx.response().setStatusCode(status).putHeader("content-type", "text/plain").end(encrypted);
    }
  }

  private long count(String action, String outcome, long started) {
    long tookNanos = System.nanoTime() - started;
    registry.counter(REQUESTS, "action", action, "outcome", outcome).increment();
    Timer.builder(LATENCY).tag("action", action).register(registry).record(tookNanos, TimeUnit.NANOSECONDS);
    return TimeUnit.NANOSECONDS.toMillis(tookNanos);
  }

  private void log(FlowExchange.Answer answer, int status, String outcome, long tookMs) {
    FlowToken token = answer.token();
    Correlation correlation = new Correlation("", token == null ? "" : CustomerDirectory.maskKey(token.conversationKey()), "");
    var event = (status >= 500 ? Events.warn(LOG, "flows.exchange", correlation) : Events.info(LOG, "flows.exchange", correlation))
        .addKeyValue("flow", token == null ? "" : token.flowName())
        .addKeyValue("action", answer.action())
        .addKeyValue("screen", String.valueOf(answer.screen()))
        .addKeyValue("outcome", outcome)
        .addKeyValue("status", status)
        .addKeyValue("duration_ms", tookMs);
    if (answer.failure() != null) {
      // The class only: a handler's exception message may quote the customer's form data.
      event = event.addKeyValue("error", answer.failure().getClass().getSimpleName());
    }
    event.log("Flows {} {} answered {} ({})", token == null ? "-" : token.flowName(), answer.action(), status, outcome);
  }

  private static FlowCrypto.EncryptedRequest envelope(Buffer body) {
    try {
      return FlowCrypto.EncryptedRequest.fromJson(new JsonObject(body));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
