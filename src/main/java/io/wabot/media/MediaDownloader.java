package io.wabot.media;

import io.vertx.core.Future;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.wabot.config.MediaConfig;
import io.wabot.config.NumberConfig;
import io.wabot.config.WhatsAppConfig;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a customer's media from Meta into the {@link MediaStore}, streamed and checked on the way:
 * <ol>
 *   <li>{@code GET {base}/{version}/{media-id}} with the bearer token gives the download URL (valid 5
 *       minutes), MIME type, size and SHA-256; a MIME type the kind does not allow, or a size above
 *       Meta's limit for the kind or {@code media.maxBytes}, ends it here, before a byte is fetched;</li>
 *   <li>the URL (and each of at most {@value #MAX_REDIRECTS} redirects) must pass the {@link UrlPolicy};
 *       the token goes only to the URL Meta gave and redirects on the same origin;</li>
 *   <li>the body streams, with back-pressure, into a staging file while it is counted, hashed and its
 *       first bytes sniffed; more bytes than declared or allowed, an HTML page, or bytes that are not the
 *       declared type stop the transfer at once; at the end the SHA-256 must match;</li>
 *   <li>only then the file enters the store.</li>
 * </ol>
 * The heap never holds the file: memory per download is a few chunks, whatever its size.
 *
 * <p>Every outcome is a {@link DownloadResult}, never a failed future, and is logged as one event
 * ({@code media.stored} or {@code media.download_failed} with its {@code reason}) and counted
 * ({@link MediaMetrics#DOWNLOADS}). The whole download is bounded by {@code media.downloadTimeout}, and
 * any pause in the stream by {@code media.requestTimeout}.
 */
public final class MediaDownloader {

  static final int MAX_REDIRECTS = 3;
  private static final int SHORT_BODY = 64 * 1024;
  private static final long SHORT_BODY_WAIT_MS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(MediaDownloader.class);

  private final Vertx vertx;
  private final MediaConfig config;
  private final MediaStore store;
  private final UrlPolicy policy;
  private final GraphMediaApi graph;
  private final Staging staging;
  private final MediaMetrics metrics;

  /**
   * @param maxConnections downloads and metadata calls in flight at once
   * @param registry       where downloads are counted and timed
   */
  public MediaDownloader(Vertx vertx, WhatsAppConfig whatsapp, MediaConfig config, MediaStore store, UrlPolicy policy,
      int maxConnections, MeterRegistry registry) {
    this.metrics = new MediaMetrics(registry);
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.policy = policy;
    this.graph = new GraphMediaApi(vertx, whatsapp, config.requestTimeout(), maxConnections);
    this.staging = new Staging(vertx, config.stagingDir());
  }

  /**
   * The longest one download may take in all: its metadata, the answer to the file's request and to each redirect's,
   * the file itself ({@code media.downloadTimeout}) and the store's answer, each of the others bounded by
   * {@code media.requestTimeout}. (An S3 upload is bounded by its idle timeout only: a store that keeps answering
   * slowly can still outlast this.)
   */
  public Duration longestRun() {
    return config.downloadTimeout().plus(config.requestTimeout().multipliedBy(MAX_REDIRECTS + 3));
  }

  /** The policy of a deployment: strict, or as configured; in sandbox mode the simulator is trusted. */
  public static UrlPolicy policy(MediaConfig config, WhatsAppConfig whatsapp, boolean sandbox) {
    if (config.allowInsecureUrls()) {
      return UrlPolicy.insecure();
    }
    return sandbox ? UrlPolicy.trusting(whatsapp.apiBaseUrl()) : UrlPolicy.strict();
  }

  /** Downloads and stores one media file of the default number; never fails, the outcome is data. */
  public Future<DownloadResult> download(MediaRef ref, Correlation correlation) {
    return download(ref, null, correlation);
  }

  /**
   * Downloads and stores one media file a customer sent to {@code number} (null: the default number), with that
   * number's token and id: the media belongs to it. Never fails, the outcome is data.
   */
  public Future<DownloadResult> download(MediaRef ref, NumberConfig number, Correlation correlation) {
    GraphMediaApi.Caller caller = graph.caller(number);
    return graph.onContext(() -> downloadOnContext(ref, caller, correlation));
  }

  private Future<DownloadResult> downloadOnContext(MediaRef ref, GraphMediaApi.Caller caller, Correlation correlation) {
    long started = System.nanoTime();
    AtomicReference<Long> bytes = new AtomicReference<>(0L);
    return graph.metadata(ref.mediaId(), caller)
        .compose(metadata -> admit(ref, metadata))
        // The store's reserve (media.minFreeSpace) before a byte is fetched: a full store is not worth the transfer.
        .compose(admitted -> store.ensureRoom(admitted.draft().size()).map(admitted))
        .compose(draft -> fetch(draft, caller, URI.create(draft.url()), 0))
        .compose(staged -> staging.into(store, staged))
        .<DownloadResult>map(stored -> {
          bytes.set(stored.size());
          return new DownloadResult.Stored(stored);
        })
        .otherwise(e -> new DownloadResult.Failed(MediaFailure.from(e, MediaFailure.Reason.TRANSPORT)))
        .onSuccess(result -> report(ref, correlation, result, System.nanoTime() - started, bytes.get()));
  }

  /** What the metadata announces, checked against the kind's limits; a draft plus the URL to fetch. */
  private record Admitted(MediaDraft draft, String url, long limit) {
  }

  private Future<Admitted> admit(MediaRef ref, JsonObject metadata) {
    String url = metadata.getString("url");
    String mime = MediaKind.baseType(metadata.getString("mime_type", ref.mimeType()));
    long declared = size(metadata.getValue("file_size"));
    long limit = Math.min(ref.kind().maxBytes(), config.maxBytes());
    MediaFailure refused = null;
    if (url == null || url.isBlank()) {
      refused = MediaFailure.of(MediaFailure.Reason.REJECTED, "the metadata has no download URL");
    } else if (!ref.kind().acceptsInbound(mime)) {
      refused = MediaFailure.of(MediaFailure.Reason.MIME_NOT_ALLOWED, "a " + ref.kind().wireName() + " cannot be " + mime);
    } else if (ref.mimeType() != null && !mime.equals(MediaKind.baseType(ref.mimeType()))) {
      refused = MediaFailure.of(MediaFailure.Reason.MIME_MISMATCH, "the webhook said " + MediaKind.baseType(ref.mimeType())
          + ", the metadata " + mime);
    } else if (declared > limit) {
      refused = MediaFailure.of(MediaFailure.Reason.TOO_LARGE, declared + " bytes; a " + ref.kind().wireName()
          + " may have at most " + limit);
    }
    if (refused != null) {
      return Future.failedFuture(refused.asException());
    }
    String sha256 = Sha256.normalize(metadata.getString("sha256"));
    return Future.succeededFuture(new Admitted(
        new MediaDraft(ref.kind(), mime, declared, sha256, ref.filename(), ref.mediaId()), url, limit));
  }

  private Future<Staging.Staged> fetch(Admitted admitted, GraphMediaApi.Caller caller, URI url, int redirects) {
    return policy.check(vertx, url).compose(refused -> {
      if (refused != null) {
        return Future.failedFuture(refused.asException());
      }
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url.toString())
          .setFollowRedirects(false).setIdleTimeout(config.requestTimeout().toMillis())
          .putHeader("User-Agent", "whatsapp-chatbot");
      if (sameOrigin(url, URI.create(admitted.url()))) {
        // The token goes only where Meta pointed; a redirect elsewhere never sees it.
        options.putHeader("Authorization", caller.authorization());
      }
      return graph.http().request(options)
          .compose(HttpClientRequest::send)
          .recover(e -> Future.failedFuture(MediaFailure.from(e, MediaFailure.Reason.TRANSPORT).asException()))
          .compose(response -> answered(admitted, caller, url, redirects, response));
    });
  }

  private Future<Staging.Staged> answered(Admitted admitted, GraphMediaApi.Caller caller, URI url, int redirects,
      HttpClientResponse response) {
    int status = response.statusCode();
    if (status / 100 == 3 && response.getHeader("Location") != null) {
      URI next = url.resolve(response.getHeader("Location"));
      return drop(response).compose(v -> redirects >= MAX_REDIRECTS
          ? Future.failedFuture(MediaFailure.of(MediaFailure.Reason.URL_REFUSED, "more than " + MAX_REDIRECTS
              + " redirects").asException())
          : fetch(admitted, caller, next, redirects + 1));
    }
    MediaFailure failure = status == 200 ? headerProblem(admitted, response) : statusProblem(status);
    if (failure != null) {
      return drop(response).compose(v -> Future.failedFuture(failure.asException()));
    }
    return receive(admitted, response);
  }

  private static MediaFailure statusProblem(int status) {
    return switch (status) {
      case 404, 410 -> MediaFailure.of(MediaFailure.Reason.URL_EXPIRED, "the download URL answered " + status);
      case 401, 403 -> MediaFailure.of(MediaFailure.Reason.UNAUTHORIZED, "the download URL answered " + status);
      case 429 -> MediaFailure.of(MediaFailure.Reason.RATE_LIMITED, "the download URL answered 429");
      default -> MediaFailure.of(status >= 500 ? MediaFailure.Reason.TRANSPORT : MediaFailure.Reason.REJECTED,
          "the download URL answered " + status);
    };
  }

  /** What the answer's headers already give away: an HTML page, another type, or too many bytes. */
  private static MediaFailure headerProblem(Admitted admitted, HttpClientResponse response) {
    String served = MediaKind.baseType(response.getHeader("Content-Type"));
    String declared = admitted.draft().mimeType();
    if ("text/html".equals(served) && !"text/html".equals(declared)) {
      return MediaFailure.of(MediaFailure.Reason.HTML_PAGE, "the download answered an HTML page");
    }
    if (served != null && !served.equals(declared) && !served.equals("application/octet-stream")
        && !served.equals("binary/octet-stream")) {
      return MediaFailure.of(MediaFailure.Reason.MIME_MISMATCH, "declared " + declared + ", served " + served);
    }
    long length = size(response.getHeader("Content-Length"));
    if (admitted.draft().size() >= 0 && length > admitted.draft().size()) {
      return MediaFailure.of(MediaFailure.Reason.LARGER_THAN_DECLARED, length + " bytes served, "
          + admitted.draft().size() + " declared");
    }
    if (length > admitted.limit()) {
      return MediaFailure.of(MediaFailure.Reason.TOO_LARGE, length + " bytes; at most " + admitted.limit() + " allowed");
    }
    return null;
  }

  /** Streams the body into a staging file, checked; stops the transfer at the first problem or the deadline. */
  private Future<Staging.Staged> receive(Admitted admitted, HttpClientResponse response) {
    response.pause();
    MediaDraft draft = admitted.draft();
    ContentCheck check = new ContentCheck(draft.mimeType(), admitted.limit(), draft.size());
    AtomicBoolean late = new AtomicBoolean();
    // At the deadline the request is reset: the copy then fails, its file is deleted, and only then
    // does the download end, so no staged file outlives its download.
    long deadline = vertx.setTimer(config.downloadTimeout().toMillis(), id -> {
      late.set(true);
      response.request().reset();
    });
    return staging.newFile().compose(file -> vertx.fileSystem()
            .open(file.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
            .recover(e -> Future.failedFuture(StoreFailures.of(e, "cannot write to " + staging.dir())))
            .compose(out -> StagedWrite.copyAndClose(response, out, check))
            .compose(v -> StagedWrite.verified(draft, check))
            .map(verified -> new Staging.Staged(file, verified))
            .recover(e -> staging.discard(file).transform(deleted -> Future.<Staging.Staged>failedFuture(e))))
        .recover(e -> Future.failedFuture(late.get() ? MediaFailure.of(MediaFailure.Reason.TRANSPORT,
            "the download took longer than media.downloadTimeout (" + config.downloadTimeout() + ")").asException() : e))
        .andThen(result -> {
          vertx.cancelTimer(deadline);
          if (result.failed()) {
            cut(response); // no more bytes of a file that is refused anyway
          }
        });
  }

  /** Stops an answer that is being streamed: its request is reset (the error that follows is expected). */
  private static void cut(HttpClientResponse response) {
    try {
      response.exceptionHandler(ignored -> { });
    } catch (IllegalStateException ended) {
      return;
    }
    response.request().reset();
  }

  /**
   * Gives up on an answer not read to its end: a short body (a redirect, an error) is read out so its
   * connection serves the next request, and the future completes once it is; a long one is cut by
   * resetting the request (its error is the expected one).
   */
  static Future<Void> drop(HttpClientResponse response) {
    String length = response.getHeader("Content-Length");
    if (length != null && length.matches("\\d{1,5}") && Integer.parseInt(length) <= SHORT_BODY) {
      // end() completes at once when the answer already ended; the bound keeps a silent server from holding us.
      return response.end().timeout(SHORT_BODY_WAIT_MS, TimeUnit.MILLISECONDS).otherwiseEmpty();
    }
    try {
      response.exceptionHandler(ignored -> { });
    } catch (IllegalStateException ended) {
      return Future.succeededFuture(); // read to its end already: its connection is back in the pool
    }
    response.request().reset();
    return Future.succeededFuture();
  }

  private void report(MediaRef ref, Correlation correlation, DownloadResult result, long nanos, long bytes) {
    long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
    if (result instanceof DownloadResult.Stored stored) {
      metrics.download("stored", ref.kind(), nanos, bytes);
      Events.info(LOG, "media.stored", correlation)
          .addKeyValue("kind", ref.kind().wireName())
          .addKeyValue("mime_type", stored.media().mimeType())
          .addKeyValue("size", stored.media().size())
          .addKeyValue("media_id", stored.media().id())
          .addKeyValue("store", store.name())
          .addKeyValue("duration_ms", ms)
          .log("Stored a customer's {} ({} bytes) in {} ms", ref.kind().wireName(), stored.media().size(), ms);
    } else if (result instanceof DownloadResult.Failed failed) {
      MediaFailure failure = failed.failure();
      metrics.download(failure.reason().tag(), ref.kind(), nanos, 0);
      Events.warn(LOG, "media.download_failed", correlation)
          .addKeyValue("kind", ref.kind().wireName())
          .addKeyValue("reason", failure.reason().tag())
          .addKeyValue("retryable", failure.retryable())
          .addKeyValue("detail", failure.detail())
          .addKeyValue("duration_ms", ms)
          .log("Could not store a customer's {}: {} ({})", ref.kind().wireName(), failure.reason().tag(), failure.detail());
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return UrlPolicy.origin(a).equals(UrlPolicy.origin(b));
  }

  /** A size as Meta writes it (a number or a string of digits); -1 when absent or unreadable. */
  private static long size(Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    if (value instanceof String s && s.trim().matches("\\d{1,18}")) {
      return Long.parseLong(s.trim());
    }
    return -1;
  }

  public Future<Void> close() {
    return graph.close();
  }

  /** The staging folder, for tests that check nothing is left behind. */
  Path stagingDir() {
    return staging.dir();
  }
}
