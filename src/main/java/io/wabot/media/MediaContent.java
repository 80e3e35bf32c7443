package io.wabot.media;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A stored file opened for reading: its description and its bytes as a stream, paused until read
 * (pipe it, with back-pressure, to an HTTP response or an upload). Whoever opens it reads it to the end
 * or calls {@link #close()}.
 *
 * @param release frees the file or connection when the stream is not read to its end
 */
public record MediaContent(StoredMedia media, ReadStream<Buffer> stream, Runnable release) {

  public void close() {
    release.run();
  }
}
