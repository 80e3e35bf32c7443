package io.wabot.observability.logs;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.wabot.config.BetterStackConfig;
import io.wabot.observability.Events;
import io.wabot.observability.MetricNames;
import io.wabot.observability.Metrics;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships logs to Better Stack: drains the process's {@link LogBuffer} through a {@link LogShipper} every
 * {@code flushInterval}, or as soon as a full batch is waiting, and reports drops once per
 * {@code dropWarningInterval}. Deployed first and so undeployed last, it flushes what the other
 * verticles said while stopping, within {@code flushBudget}.
 *
 * <p>Without a source token it only says so, once, and switches the buffer off.
 */
public final class LogShipperVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(LogShipperVerticle.class);

  private final BetterStackConfig config;
  private final Duration flushBudget;
  private final LogBuffer buffer;
  private LogShipper shipper;
  private long flushTimer = -1;
  private long dropTimer = -1;

  /**
   * @param flushBudget how long the final flush at shutdown may take
   * @param buffer      normally {@link LogBuffer#shared()}, the buffer the logback appender fills
   */
  public LogShipperVerticle(BetterStackConfig config, Duration flushBudget, LogBuffer buffer) {
    this.config = config;
    this.flushBudget = flushBudget;
    this.buffer = buffer;
  }

  @Override
  public Future<?> start() {
    registerMeters(Metrics.registry());
    if (!config.enabled()) {
      buffer.shippingOff();
      Events.warn(LOG, "log.shipping_off")
          .log("BETTERSTACK_SOURCE_TOKEN is not set: logs go to stdout only, nothing is shipped to Better Stack");
      return Future.succeededFuture();
    }
    shipper = new LogShipper(vertx, config, buffer);
    Context context = vertx.getOrCreateContext();
    buffer.attach(new LogBuffer.Limits(config.bufferEvents(), config.bufferBytes(), (int) config.maxEventBytes()),
        config.batchSize(), () -> context.runOnContext(v -> shipper.flush()));
    flushTimer = vertx.setPeriodic(config.flushInterval().toMillis(), id -> shipper.flush());
    dropTimer = vertx.setPeriodic(config.dropWarningInterval().toMillis(), id -> shipper.reportDrops(config.dropWarningInterval()));
    Events.info(LOG, "log.shipping_on")
        .addKeyValue("ingest_url", config.ingestUrl())
        .addKeyValue("batch_size", config.batchSize())
        .addKeyValue("buffer_events", config.bufferEvents())
        .log("Shipping logs to Better Stack at {}", config.ingestUrl());
    return Future.succeededFuture();
  }

  private void registerMeters(MeterRegistry registry) {
    Gauge.builder(MetricNames.LOG_BUFFER, buffer, LogBuffer::size)
        .description("Log events waiting to be shipped to Better Stack")
        .register(registry);
    FunctionCounter.builder(MetricNames.LOG_SHIPPED, buffer, LogBuffer::shipped)
        .description("Log events Better Stack accepted")
        .register(registry);
    for (DropReason reason : DropReason.values()) {
      FunctionCounter.builder(MetricNames.LOG_DROPPED, buffer, b -> b.dropped(reason))
          .description("Log events that did not reach Better Stack")
          .tag("reason", reason.tag())
          .register(registry);
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(flushTimer);
    vertx.cancelTimer(dropTimer);
    if (shipper == null) {
      return Future.succeededFuture();
    }
    return shipper.stop(flushBudget).andThen(done -> {
      shipper.reportDrops(config.dropWarningInterval());
      buffer.detach();
    });
  }
}
