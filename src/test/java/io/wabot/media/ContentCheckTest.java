package io.wabot.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The checks a file passes chunk by chunk as it streams, whatever its source. */
class ContentCheckTest {

  static Buffer chunk(byte[] head, int size) {
    return Buffer.buffer(MediaFiles.bytes(head, size, size));
  }

  @Test
  @DisplayName("a file of the declared size and type passes, with its SHA-256 measured across chunks")
  void passes() {
    byte[] whole = MediaFiles.bytes(MediaFiles.JPEG_HEAD, 3000, 1);
    ContentCheck check = new ContentCheck("image/jpeg", 5000, 3000);

    assertThat(check.accept(Buffer.buffer(whole).slice(0, 700))).isNull();
    assertThat(check.accept(Buffer.buffer(whole).slice(700, 3000))).isNull();
    assertThat(check.finish()).isNull();
    assertThat(check.count()).isEqualTo(3000);
    assertThat(check.sha256Hex()).isEqualTo(MediaFiles.sha256(whole));
  }

  @Test
  @DisplayName("more bytes than declared, or than allowed when nothing was declared, stop the stream at that chunk")
  void tooMany() {
    ContentCheck declared = new ContentCheck("image/jpeg", 5000, 1000);
    ContentCheck undeclared = new ContentCheck("image/jpeg", 1500, -1);

    assertThat(declared.accept(chunk(MediaFiles.JPEG_HEAD, 800))).isNull();
    assertThat(declared.accept(chunk(new byte[0], 800)).reason()).isEqualTo(MediaFailure.Reason.LARGER_THAN_DECLARED);
    assertThat(undeclared.accept(chunk(MediaFiles.JPEG_HEAD, 1024))).isNull();
    assertThat(undeclared.accept(chunk(new byte[0], 1024)).reason()).isEqualTo(MediaFailure.Reason.TOO_LARGE);
  }

  @Test
  @DisplayName("a stream that ends short of the declared size is truncated (retryable)")
  void truncated() {
    ContentCheck check = new ContentCheck("application/pdf", 10_000, 5000);

    assertThat(check.accept(chunk(MediaFiles.PDF_HEAD, 4000))).isNull();
    MediaFailure failure = check.finish();

    assertThat(failure.reason()).isEqualTo(MediaFailure.Reason.TRUNCATED);
    assertThat(failure.retryable()).isTrue();
  }

  @Test
  @DisplayName("the first bytes are sniffed: an HTML page or another type is named as such, even in a tiny file")
  void sniffed() {
    ContentCheck html = new ContentCheck("application/pdf", 10_000, -1);
    ContentCheck png = new ContentCheck("image/jpeg", 10_000, -1);
    ContentCheck text = new ContentCheck("text/plain", 10_000, -1);
    byte[] page = "  <!DOCTYPE html><html><body>Error 502</body></html>".getBytes(StandardCharsets.US_ASCII);

    assertThat(html.accept(Buffer.buffer(page))).isNull();
    assertThat(html.finish().reason()).isEqualTo(MediaFailure.Reason.HTML_PAGE);
    assertThat(png.accept(chunk(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, 2000)).reason())
        .isEqualTo(MediaFailure.Reason.MIME_MISMATCH);
    assertThat(text.accept(Buffer.buffer(page))).isNull();
    assertThat(text.finish()).as("a text file may hold HTML source").isNull();
  }
}
