package io.wabot.media;

/** Carries a {@link MediaFailure} through a future chain to the point where it becomes a result again. */
public final class MediaException extends RuntimeException {

  private final transient MediaFailure failure;

  public MediaException(MediaFailure failure) {
    super(failure.reason().tag() + ": " + failure.detail(), null, false, false);
    this.failure = failure;
  }

  public MediaFailure failure() {
    return failure;
  }
}
