package io.wabot.observability.logs;

/** Why log events did not reach Better Stack; the {@code reason} tag of {@code wabot.log.dropped}. */
public enum DropReason {
  /** The buffer was full (Better Stack slow or down for long, or a burst): the oldest events went. */
  BUFFER_FULL("buffer_full"),
  /** Better Stack refused the batch for good (403, 402, 406, or 413 for a single event). */
  REJECTED("rejected"),
  /** Network errors, 5xx or 429 on every attempt of the batch. */
  RETRIES_EXHAUSTED("retries_exhausted"),
  /** Still waiting when the shutdown budget ran out. */
  SHUTDOWN("shutdown");

  private final String tag;

  DropReason(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
