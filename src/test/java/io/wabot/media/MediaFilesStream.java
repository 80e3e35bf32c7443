package io.wabot.media;

import static io.wabot.testing.Futures.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;

/** Bytes as a real file stream, so stores meet back-pressure as they would with a download. */
final class MediaFilesStream {

  private MediaFilesStream() {
  }

  static ReadStream<Buffer> of(Vertx vertx, Path temp, Buffer content) {
    Path file = temp.resolve("source-" + System.nanoTime());
    await(vertx.fileSystem().writeFile(file.toString(), content));
    return await(vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)));
  }
}
