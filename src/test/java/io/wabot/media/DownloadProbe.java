package io.wabot.media;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.wabot.observability.Correlation;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Downloads one media file from a Graph API (simulator) into a filesystem store and reports the heap:
 * run by {@link LargeDownloadMemoryTest} in a child JVM with a small {@code -Xmx}, so a download that
 * buffered the file would die of an OutOfMemoryError instead of passing.
 *
 * <p>Arguments: base URL, access token, phone number id, media id, store folder. Prints
 * {@code STORED <sha256> <size>} and {@code HEAP <used before> <used after> <peak>} (bytes, after full
 * GCs for the first two); exits 0 when stored.
 */
public final class DownloadProbe {

  private DownloadProbe() {
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    Path dir = Path.of(args[4]);
    MediaStore store = new FileSystemMediaStore(vertx, dir, 0);
    MediaDownloader downloader = new MediaDownloader(vertx, MediaDownloaderTest.whatsapp(args[0], args[1]),
        MediaDownloaderTest.media(dir).withDir(dir), store, UrlPolicy.trusting(args[0]), 2,
        new SimpleMeterRegistry());
    long before = usedAfterGc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    DownloadResult result = downloader.download(new MediaRef(args[3], MediaKind.DOCUMENT, "application/pdf", "big.pdf"),
        Correlation.NONE).toCompletionStage().toCompletableFuture().get(Duration.ofMinutes(3).toMillis(), TimeUnit.MILLISECONDS);
    long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    long after = usedAfterGc();
    if (result instanceof DownloadResult.Stored stored) {
      System.out.println("STORED " + stored.media().sha256() + " " + stored.media().size() + " " + stored.media().id());
    } else {
      System.out.println("FAILED " + result);
    }
    System.out.println("HEAP " + before + " " + after + " " + peak);
    downloader.close().compose(v -> vertx.close()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    System.exit(result instanceof DownloadResult.Stored ? 0 : 2);
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
