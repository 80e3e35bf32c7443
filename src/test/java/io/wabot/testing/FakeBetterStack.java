package io.wabot.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for Better Stack's log ingestion endpoint, answering as the real one does: 202 for a
 * gzipped or plain JSON body with the right bearer token, 403 for a wrong token, 406 for a body that
 * is not JSON, 413 above a size, and whatever a test switches it to (429, 500, slow, connection reset).
 */
public final class FakeBetterStack implements AutoCloseable {

  public static final String TOKEN = "fake-source-token-0001";

  /** One request as received. */
  public record Received(MultiMap headers, int status, int eventCount) {
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final WaitableList<JsonObject> events = new WaitableList<>();
  private final WaitableList<Received> requests = new WaitableList<>();
  private final WaitableList<MultiMap> resets = new WaitableList<>();
  private volatile int forcedStatus;
  private volatile String retryAfter;
  private volatile int maxEventsPerRequest = Integer.MAX_VALUE;
  private volatile long delayMs;
  private volatile boolean resetConnections;

  private FakeBetterStack(Vertx vertx) {
    this.vertx = vertx;
    this.server = vertx.createHttpServer();
  }

  public static FakeBetterStack start(Vertx vertx) {
    FakeBetterStack fake = new FakeBetterStack(vertx);
    fake.server.requestHandler(fake::handle);
    Futures.await(fake.server.listen(0, "127.0.0.1"));
    return fake;
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Back to normal: 202 for valid batches. */
  public void accept() {
    forcedStatus = 0;
    retryAfter = null;
    delayMs = 0;
    resetConnections = false;
  }

  /** Answers every request with this status (and {@code Retry-After} when given) instead of taking it. */
  public void answer(int status, String retryAfterSeconds) {
    forcedStatus = status;
    retryAfter = retryAfterSeconds;
  }

  /** Closes every connection without an answer, as a network failure looks to the client. */
  public void resetConnections() {
    resetConnections = true;
  }

  /** Answers only after this long. */
  public void slow(Duration delay) {
    delayMs = delay.toMillis();
  }

  /** Answers 413 to requests carrying more events than this. */
  public void tooLargeAbove(int events) {
    maxEventsPerRequest = events;
  }

  public List<JsonObject> events() {
    return events.snapshot();
  }

  /** Waits until {@code n} events have been taken; returns all taken so far. */
  public List<JsonObject> awaitEvents(int n) {
    return events.awaitSize(n);
  }

  /** Waits until an event that matches has been taken, and returns it. */
  public JsonObject awaitEvent(Predicate<JsonObject> which) {
    return events.await(which);
  }

  /** Waits until an event named {@code name} (its {@code event} field) has been taken. */
  public JsonObject awaitEvent(String name) {
    return awaitEvent(e -> name.equals(e.getString("event")));
  }

  public List<Received> requests() {
    return requests.snapshot();
  }

  /** Requests whose connection was closed unanswered. */
  public int resets() {
    return resets.size();
  }

  /** Waits until {@code n} connections have been closed unanswered. */
  public void awaitResets(int n) {
    resets.awaitSize(n);
  }

  public long requestsAnswered(int status) {
    return requests.stream().filter(r -> r.status() == status).count();
  }

  /** Waits until {@code n} requests have been answered with {@code status}. */
  public void awaitRequestsAnswered(int status, int n) {
    requests.awaitCount(r -> r.status() == status, n);
  }

  private void handle(HttpServerRequest request) {
    if (resetConnections) {
      resets.add(MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
      request.connection().close();
      return;
    }
    request.body().onSuccess(body -> {
      if (delayMs > 0) {
        vertx.setTimer(delayMs, id -> answer(request, body));
      } else {
        answer(request, body);
      }
    });
  }

  private void answer(HttpServerRequest request, Buffer body) {
    if (!("Bearer " + TOKEN).equals(request.getHeader("Authorization"))) {
      reply(request, 403, "Unauthorized", 0);
      return;
    }
    if (forcedStatus != 0) {
      if (retryAfter != null) {
        request.response().putHeader("Retry-After", retryAfter);
      }
      reply(request, forcedStatus, forcedStatus >= 500 ? "Internal Server Error" : "", 0);
      return;
    }
    JsonArray batch;
    try {
      String json = "gzip".equals(request.getHeader("Content-Encoding")) ? gunzip(body) : body.toString();
      String trimmed = json.trim();
      batch = trimmed.startsWith("[") ? new JsonArray(trimmed) : new JsonArray().add(new JsonObject(trimmed));
    } catch (RuntimeException e) {
      reply(request, 406, "Unable to parse the request body as JSON", 0);
      return;
    }
    if (batch.size() > maxEventsPerRequest) {
      reply(request, 413, "Request Entity Too Large", batch.size());
      return;
    }
    List<JsonObject> received = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      received.add(batch.getJsonObject(i));
    }
    record(request, 202, batch.size());
    events.addAll(received); // after the request: a test woken by the events finds the request recorded
    request.response().setStatusCode(202).end();
  }

  private void reply(HttpServerRequest request, int status, String text, int eventCount) {
    record(request, status, eventCount);
    request.response().setStatusCode(status).end(text);
  }

  private void record(HttpServerRequest request, int status, int eventCount) {
    requests.add(new Received(MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), status, eventCount));
  }

  private static String gunzip(Buffer body) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body.getBytes()))) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    Futures.await(server.close());
  }
}
