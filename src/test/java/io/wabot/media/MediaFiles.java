package io.wabot.media;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Test files: real headers (so content sniffing passes), deterministic filler, their SHA-256. */
final class MediaFiles {

  static final byte[] JPEG_HEAD = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};
  static final byte[] PDF_HEAD = "%PDF-1.7\n%\u00e2\u00e3\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  static final byte[] OGG_HEAD = {'O', 'g', 'g', 'S', 0, 2, 0, 0, 0, 0, 0, 0, 0, 0};

  private MediaFiles() {
  }

  /** {@code size} bytes starting with {@code head}, the rest pseudo-random from {@code seed}. */
  static byte[] bytes(byte[] head, int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    System.arraycopy(head, 0, bytes, 0, Math.min(head.length, size));
    return bytes;
  }

  static Buffer jpeg(int size) {
    return Buffer.buffer(bytes(JPEG_HEAD, size, size));
  }

  /** Writes a large file 1 MiB at a time, so the test itself never holds it whole. */
  static Path write(Path file, byte[] head, long size, long seed) {
    try (OutputStream out = Files.newOutputStream(file)) {
      Random random = new Random(seed);
      byte[] chunk = new byte[1024 * 1024];
      for (long written = 0; written < size; written += chunk.length) {
        random.nextBytes(chunk);
        if (written == 0) {
          System.arraycopy(head, 0, chunk, 0, head.length);
        }
        out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  static String sha256(Buffer buffer) {
    return sha256(buffer.getBytes());
  }

  static String sha256(Path file) {
    try (var in = Files.newInputStream(file)) {
      MessageDigest digest = digest();
      byte[] chunk = new byte[1024 * 1024];
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        digest.update(chunk, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a stream to its end into memory (small files only). */
  static Future<Buffer> readAll(ReadStream<Buffer> stream) {
    Promise<Buffer> done = Promise.promise();
    Buffer all = Buffer.buffer();
    stream.handler(all::appendBuffer).exceptionHandler(done::tryFail).endHandler(v -> done.tryComplete(all));
    stream.resume();
    return done.future();
  }

  /** Hashes a stream to its end without keeping it. */
  static Future<String> sha256Of(ReadStream<Buffer> stream) {
    Promise<String> done = Promise.promise();
    MessageDigest digest = digest();
    stream.handler(b -> digest.update(b.getBytes())).exceptionHandler(done::tryFail)
        .endHandler(v -> done.tryComplete(HexFormat.of().formatHex(digest.digest())));
    stream.resume();
    return done.future();
  }
}
