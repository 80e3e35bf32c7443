package io.wabot.observability.logs;

import java.time.Duration;

/** What Better Stack's answer to one batch means for that batch. */
sealed interface IngestOutcome {

  /** 2xx: the events are in. */
  record Accepted() implements IngestOutcome {
  }

  /** Network error, timeout, 5xx, 408 or 429: the same batch may succeed later. */
  record RetryLater(String why, Duration retryAfter) implements IngestOutcome {
  }

  /** 413: the request is too large; halves may pass. */
  record TooLarge() implements IngestOutcome {
  }

  /** 401/403 (bad token), 402 (quota), 406 (unparsable) or another 4xx: retrying the batch cannot help. */
  record Rejected(int status, String why) implements IngestOutcome {
  }

  static IngestOutcome ofStatus(int status, String retryAfterHeader, String body) {
    if (status >= 200 && status < 300) {
      return new Accepted();
    }
    return switch (status) {
      case 413 -> new TooLarge();
      case 408, 429 -> new RetryLater("HTTP " + status, io.wabot.common.RetryAfter.parse(retryAfterHeader));
      case 401, 403 -> new Rejected(status, "the source token is not valid (HTTP " + status + ")");
      case 402 -> new Rejected(status, "the Better Stack plan's quota is used up (HTTP 402)");
      case 406 -> new Rejected(status, "Better Stack could not parse the batch (HTTP 406)" + excerpt(body));
      default -> status >= 500
          ? new RetryLater("HTTP " + status, io.wabot.common.RetryAfter.parse(retryAfterHeader))
          : new Rejected(status, "Better Stack refused the batch (HTTP " + status + ")" + excerpt(body));
    };
  }

  private static String excerpt(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String oneLine = body.replaceAll("\\s+", " ").trim();
    return ": " + (oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine);
  }
}
