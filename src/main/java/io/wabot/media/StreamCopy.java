package io.wabot.media;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * Copies a stream into another with back-pressure (the source pauses while the target's queue is
 * full), handing each chunk to a {@link ContentCheck} first. The copy fails at the first problem the
 * check finds, with a {@link MediaException}; the caller then stops the source (e.g. resets the HTTP
 * request) so no more bytes are fetched. A failure to write is a {@code store_full} or
 * {@code store_unavailable} {@link MediaException}; a failure of the source is passed on as it is.
 */
final class StreamCopy {

  private StreamCopy() {
  }

  static Future<Void> copy(ReadStream<Buffer> source, WriteStream<Buffer> target, ContentCheck check) {
    Promise<Void> done = Promise.promise();
    source.exceptionHandler(done::tryFail);
    target.exceptionHandler(e -> done.tryFail(StoreFailures.of(e, "cannot write")));
    source.handler(chunk -> {
      if (done.future().isComplete()) {
        return;
      }
      MediaFailure failure = check.accept(chunk);
      if (failure != null) {
        done.tryFail(failure.asException());
        return;
      }
      target.write(chunk).onFailure(e -> done.tryFail(StoreFailures.of(e, "cannot write")));
      if (target.writeQueueFull()) {
        source.pause();
        target.drainHandler(v -> source.resume());
      }
    });
    source.endHandler(v -> {
      MediaFailure failure = check.finish();
      if (failure != null) {
        done.tryFail(failure.asException());
      } else {
        done.tryComplete();
      }
    });
    source.resume();
    return done.future();
  }
}
