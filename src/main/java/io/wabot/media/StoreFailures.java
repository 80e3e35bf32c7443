package io.wabot.media;

/** Turns an I/O error of a store into {@code store_full} (no space left) or {@code store_unavailable}. */
final class StoreFailures {

  private StoreFailures() {
  }

  /** {@code error} as a {@link MediaException}; one that already is one is returned as it is. */
  static MediaException of(Throwable error, String context) {
    if (error instanceof MediaException media) {
      return media;
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (message.contains("No space left") || message.contains("Disk quota exceeded")) {
        return MediaFailure.of(MediaFailure.Reason.STORE_FULL, context + ": " + message).asException();
      }
    }
    MediaFailure unavailable = MediaFailure.from(error, MediaFailure.Reason.STORE_UNAVAILABLE);
    return unavailable.withDetail(context + ": " + unavailable.detail()).asException();
  }
}
