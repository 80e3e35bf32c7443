package io.wabot.media;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.wabot.config.NumberConfig;
import io.wabot.config.WhatsAppConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Graph API's media endpoints as the downloader and uploader call them: one HTTP client (no
 * redirects followed on its own), the bearer token in the header only, and Meta's error answers turned
 * into {@link MediaFailure}s.
 */
final class GraphMediaApi {

  /** Largest JSON answer read from the Graph API; its answers are a few hundred bytes. */
  private static final int MAX_ANSWER = 64 * 1024;
  private static final Set<Integer> RATE_LIMIT_CODES = Set.of(4, 80007, 130429);

  /**
   * The business number a media call is made for: its id (uploads go to {@code /{id}/media}, and Meta checks
   * that a downloaded media belongs to it) and its bearer token. A media id belongs to the number that
   * uploaded or received it, so a call is made as that number.
   */
  record Caller(String phoneNumberId, String authorization) {
    static Caller of(NumberConfig number) {
      return new Caller(number.phoneNumberId(), "Bearer " + number.accessToken().value());
    }

    @Override
    public String toString() {
      return "Caller[" + NumberConfig.labelFor(null, phoneNumberId) + "]"; // never the token
    }
  }

  private final Vertx vertx;
  private final HttpClient http;
  private final WhatsAppConfig whatsapp;
  private final Caller defaultCaller;
  private final Duration requestTimeout;

  GraphMediaApi(Vertx vertx, WhatsAppConfig whatsapp, Duration requestTimeout, int maxConnections) {
    this.vertx = vertx;
    this.whatsapp = whatsapp;
    this.defaultCaller = new Caller(whatsapp.phoneNumberId(), "Bearer " + whatsapp.accessToken().value());
    this.requestTimeout = requestTimeout;
    this.http = vertx.createHttpClient(new HttpClientOptions()
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis()))
            // Keep-alive, so that the server does not close the connection after the last byte: Vert.x 5.0's
            // client can lose the end of a response it holds paused (a slow store) when the connection closes
            // under it ("Connection was closed" a few hundred KB before the end of a 60 MB file, about one
            // download in six on a busy machine). Idle connections close after 10 s; an answer not read to
            // its end is read out or its request reset (MediaDownloader.drop), so none stays taken.
            .setKeepAlive(true)
            .setKeepAliveTimeout(10),
        new PoolOptions().setHttp1MaxSize(maxConnections));
  }

  HttpClient http() {
    return http;
  }

  /** The call as {@code number}; the default number (the configured account's) for null. */
  Caller caller(NumberConfig number) {
    return number == null ? defaultCaller : Caller.of(number);
  }

  Duration requestTimeout() {
    return requestTimeout;
  }

  /** {@code {base}/{version}/{phone-number-id}/media}. */
  String uploadUrl(Caller caller) {
    return whatsapp.apiBaseUrl() + "/" + whatsapp.apiVersion() + "/" + caller.phoneNumberId() + "/media";
  }

  /** A request to the Graph API: the caller's token, no redirects, the idle timeout. */
  RequestOptions request(HttpMethod method, String url, Caller caller) {
    return new RequestOptions().setMethod(method).setAbsoluteURI(url).setFollowRedirects(false)
        .setIdleTimeout(requestTimeout.toMillis()).putHeader("Authorization", caller.authorization())
        .putHeader("User-Agent", "whatsapp-chatbot");
  }

  /**
   * {@code GET {base}/{version}/{media-id}?phone_number_id=...}: the URL (valid 5 minutes), MIME type,
   * SHA-256 and size. The phone number id makes Meta check that the media belongs to this number.
   */
  Future<JsonObject> metadata(String mediaId, Caller caller) {
    String url = whatsapp.apiBaseUrl() + "/" + whatsapp.apiVersion() + "/" + URLEncoder.encode(mediaId, StandardCharsets.UTF_8)
        + "?phone_number_id=" + caller.phoneNumberId();
    return onContext(() -> http.request(request(HttpMethod.GET, url, caller).putHeader("Accept", "application/json"))
            .compose(request -> request.send())
            .compose(GraphMediaApi::json))
        .timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(MediaFailure.from(e, MediaFailure.Reason.TRANSPORT).asException()));
  }

  /**
   * Runs {@code work} on a Vert.x context: called from a thread of none (a test, a blocking caller), the
   * request, its answer and the handlers attached to it would otherwise live on different contexts,
   * and an answer's body could pass before its handler is set.
   */
  <T> Future<T> onContext(java.util.function.Supplier<Future<T>> work) {
    if (Vertx.currentContext() != null) {
      return work.get();
    }
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> work.get().onComplete(promise));
    return promise.future();
  }

  /** The JSON of a 2xx answer; any other answer fails with the {@link MediaFailure} it means. */
  static Future<JsonObject> json(HttpClientResponse response) {
    String length = response.getHeader("Content-Length");
    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_ANSWER) {
      response.request().reset();
      return Future.failedFuture(MediaFailure.of(MediaFailure.Reason.TRANSPORT,
          "the Graph API answered " + length + " bytes where a short JSON was expected").asException());
    }
    return response.body().compose(body -> {
      JsonObject json = parse(body);
      if (response.statusCode() / 100 == 2 && json != null) {
        return Future.succeededFuture(json);
      }
      return Future.failedFuture(failure(response.statusCode(), json).asException());
    });
  }

  /** What a Graph API error answer means for media. */
  static MediaFailure failure(int status, JsonObject body) {
    JsonObject error = body == null ? null : body.getJsonObject("error");
    int code = error == null ? 0 : error.getInteger("code", 0);
    String detail = "Graph API answered " + status + (code == 0 ? "" : " with code " + code)
        + (error == null || error.getString("message") == null ? "" : ": " + error.getString("message"));
    if (status == 401 || code == 190) {
      return MediaFailure.of(MediaFailure.Reason.UNAUTHORIZED, detail);
    }
    if (status == 429 || RATE_LIMIT_CODES.contains(code)) {
      return MediaFailure.of(MediaFailure.Reason.RATE_LIMITED, detail);
    }
    if (status == 404 || status == 400 && code == 100) {
      return MediaFailure.of(MediaFailure.Reason.NOT_FOUND, detail);
    }
    if (status >= 500 || status / 100 == 2) {
      return MediaFailure.of(MediaFailure.Reason.TRANSPORT, detail);
    }
    return MediaFailure.of(MediaFailure.Reason.REJECTED, detail);
  }

  private static JsonObject parse(Buffer body) {
    try {
      return body == null || body.length() == 0 ? null : new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return null; // a proxy's HTML error page: the status alone decides
    }
  }

  Future<Void> close() {
    return http.close();
  }
}
