package io.wabot.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.sandbox.SimulatedMedia;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.SimulatedGraphApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 60 MB document through the whole service (webhook, inbound queue, media queue, download, store, turn)
 * in a JVM with the production flags, whose heap is 64 MB: buffering the file could not fit and would
 * exit on OutOfMemoryError; the heap kept afterwards is measured too.
 */
class PipelineMemoryTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();
  @RegisterExtension
  final SimulatedGraphApi graph = new SimulatedGraphApi();

  static final long SIZE = 60L * 1000 * 1000;

  @TempDir
  Path temp;

  @Test
  @DisplayName("a 60 MB document from a customer is stored and answered by the service on its 64 MB heap,"
      + " and the heap does not keep it")
  void sixtyMegabytesThroughTheService() throws Exception {
    Path source = MediaFiles.write(temp.resolve("catalogue.pdf"), MediaFiles.PDF_HEAD, SIZE, 5);
    String sha = MediaFiles.sha256(source);
    String mediaId = graph.simulator().media().add(SimulatedMedia.ofFile(source, "application/pdf"));
    Path store = temp.resolve("store");

    Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@conf/jvm.options", "-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=logback-test.xml",
        PipelineMemoryProbe.class.getName(), REDIS.url(), graph.baseUrl(), mediaId, store.toString()))
        .redirectErrorStream(true).redirectOutput(temp.resolve("probe.out").toFile()).start();
    boolean exited = child.waitFor(4, TimeUnit.MINUTES);
    if (!exited) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    List<String> output = Files.readAllLines(temp.resolve("probe.out"), StandardCharsets.UTF_8);
    List<String> tail = output.subList(Math.max(0, output.size() - 40), output.size());

    assertThat(exited).as("the probe finished: %s", tail).isTrue();
    assertThat(child.exitValue()).as("the service stored the document: %s", tail).isZero();
    JsonObject outcome = new JsonObject(line(output, "OUTCOME ").substring("OUTCOME ".length()));
    JsonObject media = outcome.getJsonObject("media");
    assertThat(media.getLong("size")).isEqualTo(SIZE);
    assertThat(media.getString("sha256")).isEqualTo(sha);
    String id = media.getString("id");
    assertThat(MediaFiles.sha256(store.resolve(id.substring(0, 2)).resolve(id))).isEqualTo(sha);
    graph.accepted().await(m -> m.body().encode().contains("received your document"));

    String[] heap = line(output, "HEAP ").split(" ");
    long retained = Long.parseLong(heap[2]) - Long.parseLong(heap[1]);
    System.out.printf("60 MB document through the service: heap before %d KiB, after %d KiB, peak %d KiB (@conf/jvm.options)%n",
        Long.parseLong(heap[1]) / 1024, Long.parseLong(heap[2]) / 1024, Long.parseLong(heap[3]) / 1024);
    assertThat(retained).as("heap kept after the download").isLessThan(8L * 1024 * 1024);
    // The peak includes garbage the collector had not yet reclaimed (a young generation of a quarter of
    // the heap), so it is no measure of what was kept; holding the file would have put it above its size.
    assertThat(Long.parseLong(heap[3]) - Long.parseLong(heap[1])).as("heap growth at its peak").isLessThan(SIZE);
  }

  private static String line(List<String> output, String prefix) throws IOException {
    return output.stream().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new IOException("no " + prefix.trim() + " line in " + output));
  }
}
