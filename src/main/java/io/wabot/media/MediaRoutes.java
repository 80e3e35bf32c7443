package io.wabot.media;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code GET /media/{id}?exp=...&sig=...}: a stored file, for whoever holds a valid, unexpired signed
 * link ({@link SignedMediaUrls}); 403 for anything else, checked before the store is asked, so the
 * route cannot be used to probe for ids. There is no listing: {@code /media} and {@code /media/} are
 * unknown paths (404).
 *
 * <p>Files stream from the store with back-pressure. They are served {@code inline} only for image,
 * audio and video types a browser shows safely, otherwise as an attachment, always with
 * {@code nosniff} and a sandboxing CSP, so a customer's HTML or SVG "document" cannot run in the
 * bot's origin.
 */
public final class MediaRoutes {

  private static final Set<String> INLINE = Set.of("image/jpeg", "image/png", "image/webp", "audio/aac", "audio/amr",
      "audio/mpeg", "audio/mp4", "audio/ogg", "video/mp4", "video/3gpp", "video/3gp", "application/pdf");

  private final MediaStore store;
  private final SignedMediaUrls urls;
  private final MediaMetrics metrics;

  /** @param registry where the answers of {@code GET /media/{id}} are counted */
  public MediaRoutes(MediaStore store, SignedMediaUrls urls, MeterRegistry registry) {
    this.metrics = new MediaMetrics(registry);
    this.store = store;
    this.urls = urls;
  }

  public void mount(Router router) {
    router.get("/media/:id").handler(this::serve);
  }

  private void serve(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String exp = ctx.request().getParam("exp");
    SignedMediaUrls.Verdict verdict = urls.verify(id, exp, ctx.request().getParam("sig"));
    if (verdict != SignedMediaUrls.Verdict.VALID || !StoredMedia.isId(id)) {
      metrics.served(verdict == SignedMediaUrls.Verdict.EXPIRED ? "expired" : "forbidden");
      plain(ctx.response(), 403, verdict == SignedMediaUrls.Verdict.EXPIRED ? "This link has expired." : "Forbidden.");
      return;
    }
    store.open(id).onComplete(opened -> {
      if (opened.failed()) {
        metrics.served("unavailable");
        plain(ctx.response(), 503, "The media store is unavailable; try again later.");
      } else if (opened.result().isEmpty()) {
        metrics.served("missing");
        plain(ctx.response(), 404, "This file is no longer kept.");
      } else {
        send(ctx, opened.result().get(), exp);
      }
    });
  }

  private void send(RoutingContext ctx, MediaContent content, String exp) {
    StoredMedia media = content.media();
    HttpServerResponse response = ctx.response()
        .putHeader("Content-Type", media.mimeType())
        .putHeader("Content-Length", Long.toString(media.size()))
        .putHeader("Content-Disposition", (INLINE.contains(media.mimeType()) ? "inline" : "attachment")
            + "; filename*=UTF-8''" + URLEncoder.encode(filename(media), StandardCharsets.UTF_8).replace("+", "%20"))
        .putHeader("Cache-Control", "private, max-age=" + urls.secondsLeft(exp))
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", "default-src 'none'; sandbox")
        .putHeader("Referrer-Policy", "no-referrer");
    content.stream().pipeTo(response).onComplete(done -> {
      metrics.served(done.succeeded() ? "ok" : "interrupted");
      if (done.failed()) {
        content.close();
      }
    });
  }

  private static String filename(StoredMedia media) {
    if (media.filename() != null && !media.filename().isBlank()) {
      return media.filename().replaceAll("[\\r\\n\"/\\\\]", "_");
    }
    String type = media.mimeType();
    return media.kind().wireName() + "-" + media.id().substring(0, 8) + "." + type.substring(type.indexOf('/') + 1);
  }

  private static void plain(HttpServerResponse response, int status, String text) {
    response.setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(text);
  }
}
