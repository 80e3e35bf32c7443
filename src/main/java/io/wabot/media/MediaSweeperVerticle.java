package io.wabot.media;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.wabot.config.AppConfig;
import io.wabot.config.MediaConfig;
import io.wabot.observability.Events;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes stored media older than {@code media.retention}, at start and every {@code media.sweepInterval}:
 * customers' files are personal data, kept only as long as configured. Every node runs one; with a
 * shared store (S3) they delete the same files, which is harmless.
 */
public final class MediaSweeperVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MediaSweeperVerticle.class);

  private final MediaConfig config;
  private final boolean ownSigningKey;
  private final MediaMetrics metrics;
  private MediaStore store;
  private long timer = -1;
  private boolean sweeping;

  /** @param registry where the files swept are counted */
  public MediaSweeperVerticle(AppConfig config, MeterRegistry registry) {
    this.metrics = new MediaMetrics(registry);
    this.config = config.media();
    this.ownSigningKey = SignedMediaUrls.ownKey(config.media());
  }

  @Override
  public Future<?> start() {
    store = MediaStores.create(vertx, config);
    Events.info(LOG, "media.store_ready")
        .addKeyValue("store", store.name())
        .addKeyValue("dir", config.dir().toString())
        .addKeyValue("retention", config.retention().toString())
        .addKeyValue("link_key", ownSigningKey ? "MEDIA_SIGNING_KEY" : "derived from WHATSAPP_APP_SECRET")
        .log("Media: {} store, kept {}; links signed with {}", store.name(), config.retention(),
            ownSigningKey ? "MEDIA_SIGNING_KEY" : "a key derived from WHATSAPP_APP_SECRET");
    sweep();
    timer = vertx.setPeriodic(config.sweepInterval().toMillis(), id -> sweep());
    return Future.succeededFuture();
  }

  private void sweep() {
    if (sweeping) {
      return; // the last sweep of a large store is still running
    }
    sweeping = true;
    Instant cutoff = Instant.now().minus(config.retention());
    store.sweep(cutoff)
        .onSuccess(deleted -> {
          if (deleted > 0) {
            metrics.swept(deleted);
            Events.info(LOG, "media.swept").addKeyValue("files", deleted).addKeyValue("store", store.name())
                .log("Deleted {} media file(s) stored before {}", deleted, cutoff);
          }
        })
        .onFailure(e -> Events.warn(LOG, "media.sweep_failed").addKeyValue("store", store.name())
            .addKeyValue("reason", MediaFailure.from(e, MediaFailure.Reason.STORE_UNAVAILABLE).detail())
            .log("Could not sweep expired media; trying again in {}", config.sweepInterval()))
        .onComplete(done -> sweeping = false);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return store == null ? Future.succeededFuture() : store.close();
  }
}
