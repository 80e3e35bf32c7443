package io.wabot.media;

import io.vertx.core.Future;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.wabot.config.MediaConfig;
import io.wabot.config.NumberConfig;
import io.wabot.config.WhatsAppConfig;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import io.wabot.whatsapp.outbound.MediaMessage;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads stored files to Meta ({@code POST {base}/{version}/{phone-number-id}/media}, multipart with
 * {@code messaging_product}, {@code type} and {@code file}), streamed from the store with back-pressure
 * and an exact {@code Content-Length}, so a 100 MB document costs no heap. The returned media id is
 * kept in the {@link UploadCache} and reused until {@code media.uploadReuse} (Meta keeps uploads 30
 * days).
 *
 * <p>Every outcome is an {@link UploadResult} (never a failed future), one event
 * ({@code media.uploaded} or {@code media.upload_failed}) and a metric ({@link MediaMetrics#UPLOADS}).
 */
public final class MediaUploader {

  private static final Logger LOG = LoggerFactory.getLogger(MediaUploader.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** How an upload ended. */
  public sealed interface UploadResult {
    /** Meta knows the file as {@code mediaId}; {@code reused}: from an earlier upload. */
    record Uploaded(String mediaId, boolean reused) implements UploadResult {
    }

    record Failed(MediaFailure failure) implements UploadResult {
    }
  }

  private final MediaConfig config;
  private final MediaStore store;
  private final UploadCache cache;
  private final GraphMediaApi graph;
  private final MediaMetrics metrics;

  public MediaUploader(Vertx vertx, WhatsAppConfig whatsapp, MediaConfig config, MediaStore store, UploadCache cache,
      int maxConnections, MeterRegistry registry) {
    this.metrics = new MediaMetrics(registry);
    this.config = config;
    this.store = store;
    this.cache = cache;
    this.graph = new GraphMediaApi(vertx, whatsapp, config.requestTimeout(), maxConnections);
  }

  /** The longest one upload may take: the store's file opened and the upload answered ({@code media.downloadTimeout}). */
  public Duration longestRun() {
    return config.downloadTimeout().plus(config.requestTimeout());
  }

  /**
   * The message for {@code media}: at once for a media id or a link; for a stored file once it is
   * uploaded (or its earlier upload reused). Fails with a {@link MediaException} when the upload fails.
   */
  public Future<MediaMessage> prepare(OutboundMedia media, Correlation correlation) {
    if (!(media.source() instanceof OutboundMedia.Stored stored)) {
      return Future.succeededFuture(media.toMessage());
    }
    return upload(stored.media(), null, correlation).compose(result -> result instanceof UploadResult.Uploaded uploaded
        ? Future.succeededFuture(media.withMediaId(uploaded.mediaId()))
        : Future.failedFuture(((UploadResult.Failed) result).failure().asException()));
  }

  /** Uploads a stored file for the default number, or reuses the id of its earlier upload. */
  public Future<UploadResult> upload(StoredMedia media, Correlation correlation) {
    return upload(media, null, correlation);
  }

  /**
   * Uploads a stored file for {@code number} (null: the default number) with its token, or reuses the id of its
   * earlier upload by that number: a media id is good only for the number that uploaded it.
   */
  public Future<UploadResult> upload(StoredMedia media, NumberConfig number, Correlation correlation) {
    GraphMediaApi.Caller caller = graph.caller(number);
    return graph.onContext(() -> uploadOnContext(media, caller, correlation));
  }

  private Future<UploadResult> uploadOnContext(StoredMedia media, GraphMediaApi.Caller caller, Correlation correlation) {
    return cache.get(caller.phoneNumberId(), media).compose(cached -> {
      if (cached != null) {
        metrics.upload("reused", 0);
        return Future.succeededFuture(new UploadResult.Uploaded(cached, true));
      }
      long started = System.nanoTime();
      return send(media, caller)
          .compose(id -> cache.put(caller.phoneNumberId(), media, id).map(id))
          .<UploadResult>map(id -> new UploadResult.Uploaded(id, false))
          .otherwise(e -> new UploadResult.Failed(MediaFailure.from(e, MediaFailure.Reason.TRANSPORT)))
          .onSuccess(result -> report(media, correlation, result, System.nanoTime() - started));
    });
  }

  private Future<String> send(StoredMedia media, GraphMediaApi.Caller caller) {
    String boundary = "wabot-" + HexFormat.of().formatHex(randomBytes());
    Buffer head = Buffer.buffer(part(boundary, "messaging_product", null, null) + "whatsapp\r\n"
        + part(boundary, "type", null, null) + media.mimeType() + "\r\n"
        + part(boundary, "file", fileName(media), media.mimeType()), "UTF-8");
    Buffer tail = Buffer.buffer("\r\n--" + boundary + "--\r\n", "UTF-8");
    long length = head.length() + media.size() + tail.length();
    return store.open(media.id()).compose(opened -> {
      if (opened.isEmpty()) {
        return Future.failedFuture(MediaFailure.of(MediaFailure.Reason.NOT_FOUND, "no stored file " + media.id())
            .asException());
      }
      MediaContent content = opened.get();
      return graph.http().request(graph.request(HttpMethod.POST, graph.uploadUrl(caller), caller)
              .putHeader("Content-Type", "multipart/form-data; boundary=" + boundary)
              .putHeader("Content-Length", Long.toString(length))
              .putHeader("Accept", "application/json"))
          .compose(request -> stream(request, head, content, tail))
          .compose(GraphMediaApi::json)
          .timeout(config.downloadTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .onFailure(e -> content.close())
          .compose(json -> {
            String id = json.getString("id");
            return id == null ? Future.failedFuture(MediaFailure.of(MediaFailure.Reason.REJECTED,
                "the upload answer has no id").asException()) : Future.succeededFuture(id);
          });
    });
  }

  /** Writes the form: the fields, the file piped from the store, the closing boundary; then the answer. */
  private static Future<io.vertx.core.http.HttpClientResponse> stream(HttpClientRequest request, Buffer head,
      MediaContent content, Buffer tail) {
    request.write(head);
    return content.stream().pipe().endOnComplete(false).to(request)
        .compose(v -> request.end(tail))
        .compose(v -> request.response());
  }

  private static String part(String boundary, String name, String filename, String contentType) {
    StringBuilder part = new StringBuilder("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"")
        .append(name).append('"');
    if (filename != null) {
      part.append("; filename=\"").append(filename).append('"');
    }
    part.append("\r\n");
    if (contentType != null) {
      part.append("Content-Type: ").append(contentType).append("\r\n");
    }
    return part.append("\r\n").toString();
  }

  /** The file name Meta sees: the customer's or a neutral one, without characters that break the header. */
  private static String fileName(StoredMedia media) {
    String name = media.filename() != null ? media.filename()
        : media.kind().wireName() + "." + media.mimeType().substring(media.mimeType().indexOf('/') + 1);
    return name.replaceAll("[\\r\\n\"\\\\]", "_");
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private void report(StoredMedia media, Correlation correlation, UploadResult result, long nanos) {
    long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
    if (result instanceof UploadResult.Uploaded) {
      metrics.upload("uploaded", media.size());
      Events.info(LOG, "media.uploaded", correlation).addKeyValue("kind", media.kind().wireName())
          .addKeyValue("mime_type", media.mimeType()).addKeyValue("size", media.size())
          .addKeyValue("media_id", media.id()).addKeyValue("duration_ms", ms)
          .log("Uploaded a {} ({} bytes) to Meta in {} ms", media.kind().wireName(), media.size(), ms);
    } else if (result instanceof UploadResult.Failed failed) {
      metrics.upload(failed.failure().reason().tag(), 0);
      Events.warn(LOG, "media.upload_failed", correlation).addKeyValue("kind", media.kind().wireName())
          .addKeyValue("reason", failed.failure().reason().tag()).addKeyValue("detail", failed.failure().detail())
          .addKeyValue("retryable", failed.failure().retryable()).addKeyValue("duration_ms", ms)
          .log("Could not upload a {} to Meta: {} ({})", media.kind().wireName(), failed.failure().reason().tag(),
              failed.failure().detail());
    }
  }

  public Future<Void> close() {
    return graph.close();
  }
}
