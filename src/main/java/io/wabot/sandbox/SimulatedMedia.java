package io.wabot.sandbox;

import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A media file the {@link SimulatedMediaLibrary} serves, and how it misbehaves, if at all: metadata
 * that lies about the size, hash or MIME type, a download answered with an HTML error page, a 404 or
 * a redirect, or a media id that has expired.
 *
 * <pre>{@code
 * String id = simulator.media().add(SimulatedMedia.ofBytes(photo, "image/jpeg").declaredSize(10));
 * }</pre>
 */
public record SimulatedMedia(Path file, Buffer content, String mimeType, String declaredMimeType, long declaredSize,
    String declaredSha256, String servedContentType, Download download, String redirectTo, Duration lifetime) {

  /** What the download URL answers. */
  public enum Download { FILE, NOT_FOUND, HTML_PAGE, REDIRECT }

  /** Webhook media ids live 7 days at Meta. */
  static final Duration WEBHOOK_MEDIA_LIFETIME = Duration.ofDays(7);

  public static SimulatedMedia ofBytes(Buffer content, String mimeType) {
    return new SimulatedMedia(null, content, mimeType, null, -1, null, null, Download.FILE, null, WEBHOOK_MEDIA_LIFETIME);
  }

  /** A file on disk, served from there (a large file never enters the heap). */
  public static SimulatedMedia ofFile(Path file, String mimeType) {
    return new SimulatedMedia(file, null, mimeType, null, -1, null, null, Download.FILE, null, WEBHOOK_MEDIA_LIFETIME);
  }

  /** The metadata names this MIME type instead of the real one. */
  public SimulatedMedia declaredMimeType(String type) {
    return new SimulatedMedia(file, content, mimeType, type, declaredSize, declaredSha256, servedContentType, download, redirectTo, lifetime);
  }

  /** The metadata names this size instead of the real one. */
  public SimulatedMedia declaredSize(long size) {
    return new SimulatedMedia(file, content, mimeType, declaredMimeType, size, declaredSha256, servedContentType, download, redirectTo, lifetime);
  }

  /** The metadata names this SHA-256 instead of the real one. */
  public SimulatedMedia declaredSha256(String sha256) {
    return new SimulatedMedia(file, content, mimeType, declaredMimeType, declaredSize, sha256, servedContentType, download, redirectTo, lifetime);
  }

  /** The download answers with this Content-Type. */
  public SimulatedMedia servedContentType(String type) {
    return new SimulatedMedia(file, content, mimeType, declaredMimeType, declaredSize, declaredSha256, type, download, redirectTo, lifetime);
  }

  /** The download answers 200 with an HTML error page. */
  public SimulatedMedia htmlPage() {
    return answering(Download.HTML_PAGE, null);
  }

  /** The download answers 404, like an expired URL. */
  public SimulatedMedia notFound() {
    return answering(Download.NOT_FOUND, null);
  }

  /** The download answers 302 to {@code location}. */
  public SimulatedMedia redirectTo(String location) {
    return answering(Download.REDIRECT, location);
  }

  /** The media id expires after {@code period} (a negative one: already expired). */
  public SimulatedMedia lifetime(Duration period) {
    return new SimulatedMedia(file, content, mimeType, declaredMimeType, declaredSize, declaredSha256, servedContentType, download, redirectTo, period);
  }

  SimulatedMedia withFile(Path stored) {
    return new SimulatedMedia(stored, null, mimeType, declaredMimeType, declaredSize, declaredSha256, servedContentType, download, redirectTo, lifetime);
  }

  private SimulatedMedia answering(Download how, String location) {
    return new SimulatedMedia(file, content, mimeType, declaredMimeType, declaredSize, declaredSha256, servedContentType, how, location, lifetime);
  }
}
