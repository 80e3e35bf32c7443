package io.wabot.media;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The media meters (Prometheus shows dots as underscores, counters with {@code _total}):
 * <ul>
 *   <li>{@value #DOWNLOADS}, tags {@code outcome} ({@code stored} or a {@link MediaFailure.Reason} tag) and
 *       {@code kind};</li>
 *   <li>{@value #DOWNLOAD_DURATION}, tag {@code outcome};</li>
 *   <li>{@value #BYTES}, tag {@code direction} ({@code in}: stored downloads, {@code out}: uploads to Meta);</li>
 *   <li>{@value #UPLOADS}, tag {@code outcome} ({@code uploaded}, {@code reused} or a reason tag);</li>
 *   <li>{@value #SERVED}, tag {@code outcome} ({@code ok}, {@code forbidden}, {@code missing});</li>
 *   <li>{@value #SWEPT}: files the sweeper deleted.</li>
 * </ul>
 * Meters are looked up at use, in the registry the media code is given (the application's, or a test's).
 */
public final class MediaMetrics {

  public static final String DOWNLOADS = "wabot.media.downloads";
  public static final String DOWNLOAD_DURATION = "wabot.media.download.duration";
  public static final String BYTES = "wabot.media.bytes";
  public static final String UPLOADS = "wabot.media.uploads";
  public static final String SERVED = "wabot.media.served";
  public static final String SWEPT = "wabot.media.swept";

  private final MeterRegistry registry;

  public MediaMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void download(String outcome, MediaKind kind, long nanos, long bytes) {
    Counter.builder(DOWNLOADS).description("Media downloads by outcome").tag("outcome", outcome)
        .tag("kind", kind.wireName()).register(registry).increment();
    Timer.builder(DOWNLOAD_DURATION).description("Media downloads, from the metadata call to the file stored")
        .tag("outcome", outcome).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    bytes("in", bytes);
  }

  void upload(String outcome, long bytes) {
    Counter.builder(UPLOADS).description("Media uploads to Meta by outcome").tag("outcome", outcome)
        .register(registry).increment();
    bytes("out", bytes);
  }

  void served(String outcome) {
    Counter.builder(SERVED).description("GET /media/{id} answers by outcome").tag("outcome", outcome)
        .register(registry).increment();
  }

  void swept(int files) {
    Counter.builder(SWEPT).description("Media files deleted after the retention period")
        .register(registry).increment(files);
  }

  private void bytes(String direction, long bytes) {
    if (bytes > 0) {
      Counter.builder(BYTES).description("Media bytes stored (in) and uploaded to Meta (out)").baseUnit("bytes")
          .tag("direction", direction).register(registry).increment(bytes);
    }
  }
}
