package io.wabot.observability.logs;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.wabot.config.BetterStackConfig;
import io.wabot.config.ConfigReader;
import io.wabot.observability.Alerts;
import io.wabot.observability.Events;
import io.wabot.observability.logs.IngestOutcome.Accepted;
import io.wabot.observability.logs.IngestOutcome.Rejected;
import io.wabot.observability.logs.IngestOutcome.RetryLater;
import io.wabot.observability.logs.IngestOutcome.TooLarge;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the {@link LogBuffer}'s events to Better Stack: one request at a time, in order, as a gzipped
 * JSON array of up to {@code batchSize} events and {@code batchBytes} bytes.
 *
 * <ul>
 *   <li>Network errors, timeouts, 5xx, 408 and 429: the same batch again after an exponential back-off
 *       with jitter (honouring {@code Retry-After}), up to {@code maxAttempts}; meanwhile new events
 *       wait in the bounded buffer.</li>
 *   <li>413: the batch is split in halves, each sent on its own; a single event refused as too large is dropped.</li>
 *   <li>401/403, 402, 406 and other 4xx: the batch is dropped at once (retrying cannot help), the
 *       problem is logged to stdout only and the {@link Alerts#LOG_SHIPPING_REJECTED} alert raised; it is
 *       resolved by the next accepted batch.</li>
 * </ul>
 *
 * <p>All methods run on the owning verticle's event loop; gzip runs on a worker thread.
 */
public final class LogShipper {

  private static final Logger LOG = LoggerFactory.getLogger(LogShipper.class);
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final BetterStackConfig config;
  private final LogBuffer buffer;
  private final WebClient client;
  private final String url;
  private final String authorization;

  private Future<Void> inFlight = Future.succeededFuture();
  private boolean busy;
  private boolean stopping;
  private long deadlineNanos = Long.MAX_VALUE;
  private Runnable endWait;
  private boolean rejectedAlertRaised;
  private final long[] reportedDrops = new long[DropReason.values().length];

  public LogShipper(Vertx vertx, BetterStackConfig config, LogBuffer buffer) {
    this.vertx = vertx;
    this.config = config;
    this.buffer = buffer;
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setUserAgent("whatsapp-chatbot-log-shipper")
        .setMetricsName("betterstack-logs")
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.requestTimeout().toMillis())),
        new PoolOptions().setHttp1MaxSize(2));
    this.url = withPath(config.ingestUrl());
    this.authorization = "Bearer " + config.sourceToken().value();
    for (DropReason reason : DropReason.values()) {
      reportedDrops[reason.ordinal()] = buffer.dropped(reason);
    }
  }

  private static String withPath(String url) {
    String path = URI.create(url).getRawPath();
    return path == null || path.isEmpty() ? url + "/" : url;
  }

  /** Sends what is waiting unless a batch is already on its way; keeps going while full batches wait. */
  public void flush() {
    if (busy || stopping) {
      return;
    }
    List<byte[]> batch = buffer.take(config.batchSize(), config.batchBytes());
    if (batch.isEmpty()) {
      return;
    }
    busy = true;
    inFlight = deliver(batch, 1).onComplete(done -> {
      busy = false;
      if (buffer.hasFullBatch(config.batchSize(), config.batchBytes())) {
        flush();
      }
    });
  }

  /**
   * The final flush: ends any back-off wait, then sends everything still waiting until the buffer is
   * empty or {@code budget} is used up. Never fails.
   */
  public Future<Void> stop(Duration budget) {
    stopping = true;
    deadlineNanos = System.nanoTime() + budget.toNanos();
    if (endWait != null) {
      endWait.run();
    }
    return inFlight.transform(ignored -> drainAll())
        .eventually(() -> {
          client.close();
          return Future.succeededFuture();
        })
        .recover(e -> Future.succeededFuture());
  }

  private Future<Void> drainAll() {
    List<byte[]> batch = buffer.take(config.batchSize(), config.batchBytes());
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    if (remainingMillis() <= 0) {
      drop(batch, DropReason.SHUTDOWN, "the shutdown budget was used up");
      return Future.succeededFuture();
    }
    return deliver(batch, 1).compose(v -> drainAll());
  }

  private Future<Void> deliver(List<byte[]> batch, int attempt) {
    return post(batch).compose(outcome -> handle(batch, attempt, outcome));
  }

  private Future<Void> handle(List<byte[]> batch, int attempt, IngestOutcome outcome) {
    if (outcome instanceof Accepted) {
      buffer.recordShipped(batch.size());
      accepted();
      return Future.succeededFuture();
    }
    if (outcome instanceof TooLarge) {
      if (batch.size() == 1) {
        drop(batch, DropReason.REJECTED, "Better Stack refused a single event as too large (HTTP 413)");
        return Future.succeededFuture();
      }
      int half = batch.size() / 2;
      return deliver(batch.subList(0, half), 1).compose(v -> deliver(batch.subList(half, batch.size()), 1));
    }
    if (outcome instanceof Rejected rejected) {
      drop(batch, DropReason.REJECTED, rejected.why());
      raiseRejected(rejected);
      return Future.succeededFuture();
    }
    RetryLater retry = (RetryLater) outcome;
    Duration wait = backoff(attempt, retry.retryAfter());
    if (stopping && TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()) <= wait.toMillis()) {
      drop(batch, DropReason.SHUTDOWN, retry.why() + " and the shutdown budget leaves no time to retry");
      return Future.succeededFuture();
    }
    if (attempt >= config.maxAttempts()) {
      drop(batch, DropReason.RETRIES_EXHAUSTED, retry.why() + " on all " + attempt + " attempts");
      return Future.succeededFuture();
    }
    if (attempt == 1) {
      Events.warn(LOG, "log.shipping_retry").addMarker(LogMarkers.LOCAL_ONLY)
          .addKeyValue("events", batch.size()).addKeyValue("reason", retry.why())
          .addKeyValue("retry_in_ms", wait.toMillis())
          .log("Better Stack did not take {} log events ({}); retrying in {} ms, new events wait in the buffer",
              batch.size(), retry.why(), wait.toMillis());
    }
    return pause(wait).compose(v -> deliver(batch, attempt + 1));
  }

  private Future<IngestOutcome> post(List<byte[]> batch) {
    long timeoutMs = Math.min(config.requestTimeout().toMillis(), remainingMillis());
    if (timeoutMs <= 0) {
      return Future.succeededFuture(new RetryLater("the shutdown budget was used up", null));
    }
    return vertx.executeBlocking(() -> gzipJsonArray(batch), false)
        .compose(body -> client.postAbs(url)
            .putHeader("Authorization", authorization)
            .putHeader("Content-Type", "application/json")
            .putHeader("Content-Encoding", "gzip")
            .timeout(timeoutMs)
            .sendBuffer(body))
        .map(response -> IngestOutcome.ofStatus(response.statusCode(), response.getHeader("Retry-After"), response.bodyAsString()))
        .otherwise(e -> new RetryLater(describe(e), null));
  }

  /** The events as one JSON array, gzipped for speed rather than ratio (JSON logs compress well anyway). */
  static Buffer gzipJsonArray(List<byte[]> events) throws IOException {
    int size = 2;
    for (byte[] event : events) {
      size += event.length + 1;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(512, size / 6));
    try (OutputStream gzip = new FastGzip(out)) {
      gzip.write('[');
      for (int i = 0; i < events.size(); i++) {
        if (i > 0) {
          gzip.write(',');
        }
        gzip.write(events.get(i));
      }
      gzip.write(']');
    }
    return Buffer.buffer(out.toByteArray());
  }

  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 16 * 1024);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  private Future<Void> pause(Duration wait) {
    Promise<Void> over = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> over.tryComplete());
    endWait = () -> {
      vertx.cancelTimer(timer);
      over.tryComplete();
    };
    return over.future().andThen(done -> endWait = null);
  }

  Duration backoff(int attempt, Duration retryAfter) {
    long initial = config.retryInitialBackoff().toMillis();
    long max = config.retryMaxBackoff().toMillis();
    long exponential = attempt >= 31 ? max : Math.min(max, initial << Math.min(attempt - 1, 30));
    long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
    if (retryAfter != null) {
      jittered = Math.max(jittered, Math.min(retryAfter.toMillis(), MAX_RETRY_AFTER.toMillis()));
    }
    return Duration.ofMillis(jittered);
  }

  private long remainingMillis() {
    return stopping ? TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()) : Long.MAX_VALUE;
  }

  private void drop(List<byte[]> batch, DropReason reason, String why) {
    buffer.recordDropped(reason, batch.size());
    Events.warn(LOG, "log.batch_dropped").addMarker(LogMarkers.LOCAL_ONLY)
        .addKeyValue("events", batch.size()).addKeyValue("reason", reason.tag())
        .log("Dropped {} log events that did not reach Better Stack: {}", batch.size(), why);
  }

  private void raiseRejected(Rejected rejected) {
    Events.error(LOG, "log.shipping_rejected").addMarker(LogMarkers.LOCAL_ONLY)
        .addKeyValue("status", rejected.status())
        .log("Better Stack refuses the logs: {}. Check BETTERSTACK_SOURCE_TOKEN and BETTERSTACK_INGEST_URL", rejected.why());
    Alerts.fire(vertx.eventBus(), Alerts.LOG_SHIPPING_REJECTED, "Better Stack refuses the logs: " + rejected.why(),
        new JsonObject().put("status", rejected.status()));
    rejectedAlertRaised = true;
  }

  private void accepted() {
    if (rejectedAlertRaised) {
      rejectedAlertRaised = false;
      Alerts.resolve(vertx.eventBus(), Alerts.LOG_SHIPPING_REJECTED, "Better Stack accepts the logs again");
    }
  }

  /**
   * The periodic warning about dropped events: one line per interval with the counts by reason, only
   * when there were drops. While Better Stack refuses everything, and after the final flush, it stays
   * on stdout: it could not arrive, and would only become the next dropped event.
   */
  public void reportDrops(Duration interval) {
    JsonObject byReason = new JsonObject();
    long total = 0;
    for (DropReason reason : DropReason.values()) {
      long now = buffer.dropped(reason);
      long delta = now - reportedDrops[reason.ordinal()];
      reportedDrops[reason.ordinal()] = now;
      if (delta > 0) {
        byReason.put(reason.tag(), delta);
        total += delta;
      }
    }
    if (total == 0) {
      return;
    }
    var warning = Events.warn(LOG, "log.dropped").addKeyValue("dropped", total).addKeyValue("by_reason", byReason.getMap());
    if (rejectedAlertRaised || stopping) {
      warning = warning.addMarker(LogMarkers.LOCAL_ONLY);
    }
    warning.log("{} log events did not reach Better Stack in the last {} ({}); see the wabot_log_dropped_total metric",
        total, ConfigReader.format(interval), byReason.encode());
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
