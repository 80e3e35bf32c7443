package io.wabot.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.wabot.common.CustomerIds;
import io.wabot.common.SignatureVerifier;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meta's status webhooks for the messages a {@link GraphApiSimulator} accepted, delivered the way Meta
 * delivers them: a signed {@code POST} of a {@code sent} status, then {@code delivered}, to the bot's
 * {@code /webhook}, each echoing the send's {@code biz_opaque_callback_data}; and, like Meta, retried
 * with back-off for as long as the bot does not answer 200 (it may be down, restarting, or without Redis).
 *
 * <pre>{@code
 * new StatusReporter(vertx, "http://127.0.0.1:8080/webhook", appSecret, phoneNumberId).attach(simulator);
 * }</pre>
 *
 * The sandbox's own page sends its statuses through {@link CustomerSimulator}; this is for a simulator
 * standing in for Meta outside the bot's process (tests, the benchmark). A simulator serving several numbers
 * gets each message's statuses under the number that sent it (phoneNumberId is for {@link #deliver(String,
 * String, String, String)}), all signed with the one app secret given: numbers of one Meta app.
 */
public final class StatusReporter {

  private static final Duration FIRST_RETRY = Duration.ofMillis(250);
  private static final Duration LONGEST_RETRY = Duration.ofSeconds(2);
  private static final int MAX_ATTEMPTS = 120;

  private final Vertx vertx;
  private final WebClient client;
  private final String webhookUrl;
  private final SignatureVerifier signer;
  private final String phoneNumberId;
  private final AtomicInteger delivered = new AtomicInteger();
  private volatile boolean closed;

  public StatusReporter(Vertx vertx, String webhookUrl, String appSecret, String phoneNumberId) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false).setConnectTimeout(2_000));
    this.webhookUrl = webhookUrl;
    this.signer = new SignatureVerifier(appSecret);
    this.phoneNumberId = phoneNumberId;
  }

  /** Reports on every message the simulator accepts from now on. */
  public StatusReporter attach(GraphApiSimulator simulator) {
    simulator.onAccepted(this::report);
    return this;
  }

  /** Status webhooks the bot answered 200 so far. */
  public int delivered() {
    return delivered.get();
  }

  private void report(AcceptedMessage accepted) {
    if (accepted.isReadReceipt()) {
      return; // marking a message read produces no status
    }
    String callbackData = accepted.body().getString("biz_opaque_callback_data");
    // Meta reports a message's statuses under the number that sent it.
    String number = accepted.number() == null ? phoneNumberId : accepted.number();
    deliver(number, accepted.recipient(), accepted.wamid(), "sent", callbackData)
        .onComplete(sent -> deliver(number, accepted.recipient(), accepted.wamid(), "delivered", callbackData));
  }

  /**
   * POSTs one status until the bot answers 200; the future completes then (or fails when given up).
   * {@code customer} is the address the message went to: a phone number or a BSUID.
   */
  public Future<Void> deliver(String customer, String wamid, String status, String callbackData) {
    return deliver(phoneNumberId, customer, wamid, status, callbackData);
  }

  /** The same, for a message sent from {@code number} (its phone number id), signed with this reporter's app secret. */
  public Future<Void> deliver(String number, String customer, String wamid, String status, String callbackData) {
    boolean bsuid = CustomerIds.isAnyBsuid(customer);
    JsonObject report = CustomerSimulator.statusReport(bsuid ? customer : null, bsuid ? null : customer, customer, wamid,
        status, callbackData);
    JsonObject body = CustomerSimulator.envelope("messages", CustomerSimulator.value(number)
        .put("statuses", new JsonArray().add(report)));
    Promise<Void> done = Promise.promise();
    attempt(body.toBuffer(), 1, done);
    return done.future();
  }

  private void attempt(Buffer body, int attempt, Promise<Void> done) {
    if (closed) {
      done.tryFail("the reporter is closed");
      return;
    }
    client.postAbs(webhookUrl).putHeader("content-type", "application/json")
        .putHeader("X-Hub-Signature-256", signer.sign(body)).timeout(5_000)
        .sendBuffer(body)
        .onComplete(answer -> {
          if (answer.succeeded() && answer.result().statusCode() == 200) {
            delivered.incrementAndGet();
            done.tryComplete();
          } else if (attempt >= MAX_ATTEMPTS) {
            done.tryFail("the bot did not take the status webhook in " + attempt + " attempts");
          } else {
            long wait = Math.min(LONGEST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(attempt - 1, 10));
            vertx.setTimer(wait, id -> attempt(body, attempt + 1, done));
          }
        });
  }

  public void close() {
    closed = true;
    client.close();
  }
}
