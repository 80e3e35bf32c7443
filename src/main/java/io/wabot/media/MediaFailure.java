package io.wabot.media;

import java.util.Locale;

/**
 * Why a media file could not be stored (or uploaded): a fixed {@link Reason}, used as the metric tag and
 * the event's {@code reason}, and a detail for the operator (never the file's content, never a token).
 */
public record MediaFailure(Reason reason, String detail) {

  /**
   * Every way a download or upload can fail. {@link #retryable()} says whether trying again later may
   * succeed (the queue retries those with back-off) or whether the outcome is final.
   */
  public enum Reason {
    /** The media id is unknown to Meta or has expired (webhook media ids live 7 days). */
    NOT_FOUND(false),
    /** Meta refused the access token (401, code 190): rotate it. */
    UNAUTHORIZED(false),
    /** Meta answered with an error that is neither of the above (4xx). */
    REJECTED(false),
    /** The download URL (valid 5 minutes) expired or answered 404: ask for a fresh one. */
    URL_EXPIRED(true),
    /** The download URL, or a redirect, points at plain http or a private address. */
    URL_REFUSED(false),
    /** Larger than Meta allows for its kind, or than {@code media.maxBytes}. */
    TOO_LARGE(false),
    /** More bytes arrived than the metadata declared. */
    LARGER_THAN_DECLARED(false),
    /** The body ended before the declared size: a cut connection. */
    TRUNCATED(true),
    /** The SHA-256 of the bytes is not the one Meta declared. */
    SHA_MISMATCH(true),
    /** Its MIME type is not one its kind allows (an "image" that is a PDF). */
    MIME_NOT_ALLOWED(false),
    /** The bytes, or the server's Content-Type, are not of the declared MIME type. */
    MIME_MISMATCH(false),
    /** The body is an HTML page (a proxy's or CDN's error page), not the file. */
    HTML_PAGE(true),
    /** The store has no room left (disk full, or below {@code media.minFreeSpace}). */
    STORE_FULL(true),
    /** The store cannot be written or reached (permissions, S3 down). */
    STORE_UNAVAILABLE(true),
    /** Meta's rate limit (429, codes 4, 80007, 130429). */
    RATE_LIMITED(true),
    /** A network error, a timeout or a 5xx. */
    TRANSPORT(true);

    private final boolean retryable;

    Reason(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }

    /** The name in metrics and events, e.g. {@code sha_mismatch}. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static MediaFailure of(Reason reason, String detail) {
    return new MediaFailure(reason, detail);
  }

  public boolean retryable() {
    return reason.retryable();
  }

  public MediaFailure withDetail(String newDetail) {
    return new MediaFailure(reason, newDetail);
  }

  /** A future's failure as a {@link MediaFailure}: its own when it carries one, else {@code fallback}. */
  public static MediaFailure from(Throwable error, Reason fallback) {
    if (error instanceof MediaException carried) {
      return carried.failure();
    }
    String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return new MediaFailure(fallback, message);
  }

  public MediaException asException() {
    return new MediaException(this);
  }
}
