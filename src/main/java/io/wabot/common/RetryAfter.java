package io.wabot.common;

import java.time.Duration;

/** The {@code Retry-After} header as the remote services here send it. */
public final class RetryAfter {

  private RetryAfter() {
  }

  /**
   * The delay in seconds form (what Meta, Better Stack and most webhooks send); null when absent,
   * negative, or an HTTP date (rare enough that the caller's own back-off is good enough then).
   */
  public static Duration parse(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      long seconds = Long.parseLong(header.trim());
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
