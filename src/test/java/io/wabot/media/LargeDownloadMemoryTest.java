package io.wabot.media;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.sandbox.SimulatedMedia;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 60 MB document is downloaded by a JVM whose whole heap is 48 MB: it can only pass if the file
 * streams to disk instead of being held in memory. The heap retained afterwards is measured too.
 */
class LargeDownloadMemoryTest {

  static final long SIZE = 60L * 1000 * 1000;
  static final String TOKEN = "EAAG-large-download-token";
  static final String PHONE_ID = "106540352242922";

  @TempDir
  Path temp;
  Vertx vertx;
  GraphApiSimulator simulator;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    simulator = new GraphApiSimulator(vertx, TOKEN, PHONE_ID);
    await(simulator.listen("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    await(simulator.close());
    await(vertx.close());
  }

  @Test
  @DisplayName("a 60 MB document is stored, verified, by a JVM with a 48 MB heap, and the heap does not keep it")
  void sixtyMegabytesInFortyEight() throws Exception {
    Path source = MediaFiles.write(temp.resolve("catalogue.pdf"), MediaFiles.PDF_HEAD, SIZE, 11);
    String sha = MediaFiles.sha256(source);
    String mediaId = simulator.media().add(SimulatedMedia.ofFile(source, "application/pdf"));
    Path store = temp.resolve("store");

    Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx48m", "-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=logback-test.xml",
        DownloadProbe.class.getName(), simulator.baseUrl(), TOKEN, PHONE_ID, mediaId, store.toString()))
        .redirectErrorStream(true).redirectOutput(temp.resolve("probe.out").toFile()).start();
    boolean exited = child.waitFor(3, TimeUnit.MINUTES);
    if (!exited) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    List<String> output = Files.readAllLines(temp.resolve("probe.out"), StandardCharsets.UTF_8);

    assertThat(exited).as("the probe finished: %s", output).isTrue();
    assertThat(child.exitValue()).as("the probe stored the file: %s", output).isZero();
    String[] stored = line(output, "STORED ");
    assertThat(stored[1]).isEqualTo(sha);
    assertThat(Long.parseLong(stored[2])).isEqualTo(SIZE);
    assertThat(MediaFiles.sha256(store.resolve(stored[3].substring(0, 2)).resolve(stored[3]))).isEqualTo(sha);
    String[] heap = line(output, "HEAP ");
    long retained = Long.parseLong(heap[2]) - Long.parseLong(heap[1]);
    System.out.printf("60 MB download: heap before %d KiB, after %d KiB, peak %d KiB (-Xmx48m)%n",
        Long.parseLong(heap[1]) / 1024, Long.parseLong(heap[2]) / 1024, Long.parseLong(heap[3]) / 1024);
    assertThat(retained).as("heap kept after the download").isLessThan(4L * 1024 * 1024);
  }

  private static String[] line(List<String> output, String prefix) throws IOException {
    return output.stream().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new IOException("no " + prefix.trim() + " line in " + output)).split(" ");
  }
}
