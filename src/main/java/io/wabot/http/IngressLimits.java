package io.wabot.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.wabot.config.HttpConfig;
import io.wabot.observability.MetricNames;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What strangers may hold of this process at once, shared by every HTTP verticle instance: open
 * connections, requests in progress, and bytes of webhook bodies being read and handled. Each is a
 * counter taken before the work and given back after it; what does not fit is refused at once (503)
 * rather than queued, so no burst can exhaust the heap, the file descriptors or the event loops.
 *
 * <p>Webhook bodies: a quarter of the budget (never more than the budget less one largest body) is kept
 * for small ones (up to {@link #SMALL_BODY} bytes, which every message and status webhook Meta sends
 * is): large bodies, the cheap way to fill the budget, can never crowd out Meta's deliveries.
 */
public final class IngressLimits implements Shareable {

  /** Bodies up to this size may use the reserve; Meta's webhooks are a few KiB. */
  static final long SMALL_BODY = 64 * 1024;

  private static final String MAP = "wabot.http.ingress";

  private final int maxConnections;
  private final int maxRequests;
  private final long bodyBudget;
  private final long smallBodyReserve;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicLong bodyBytes = new AtomicLong();

  IngressLimits(HttpConfig config) {
    this.maxConnections = config.maxConnections();
    this.maxRequests = config.maxConcurrentRequests();
    this.bodyBudget = config.webhookBodyBudget();
    this.smallBodyReserve = Math.min(bodyBudget / 4, bodyBudget - config.webhookBodyLimit());
  }

  /** The limits of this Vert.x instance's HTTP server, created by the first HTTP verticle that asks. */
  public static IngressLimits of(Vertx vertx, HttpConfig config, MeterRegistry registry) {
    LocalMap<String, IngressLimits> map = vertx.sharedData().getLocalMap(MAP);
    IngressLimits created = new IngressLimits(config);
    IngressLimits existing = map.putIfAbsent(MAP, created);
    if (existing != null) {
      return existing;
    }
    created.registerGauges(registry);
    return created;
  }

  private void registerGauges(MeterRegistry registry) {
    Gauge.builder(MetricNames.HTTP_CONNECTIONS, connections, AtomicInteger::get)
        .description("Open HTTP connections").register(registry);
    Gauge.builder(MetricNames.HTTP_REQUESTS_ACTIVE, requests, AtomicInteger::get)
        .description("HTTP requests in progress (health checks excepted)").register(registry);
    Gauge.builder(MetricNames.WEBHOOK_BODY_BYTES, bodyBytes, AtomicLong::get)
        .description("Bytes of webhook bodies being read or handled").register(registry);
  }

  boolean tryOpenConnection() {
    return tryTake(connections, maxConnections);
  }

  void connectionClosed() {
    connections.decrementAndGet();
  }

  boolean tryStartRequest() {
    return tryTake(requests, maxRequests);
  }

  void requestEnded() {
    requests.decrementAndGet();
  }

  private static boolean tryTake(AtomicInteger counter, int max) {
    while (true) {
      int current = counter.get();
      if (current >= max) {
        return false;
      }
      if (counter.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  /**
   * Reserves room for a webhook body of {@code bytes} (its declared length, or the body limit when it
   * declares none); null when it does not fit now. Release the reservation when the request is over.
   */
  public Reservation reserveBody(long bytes) {
    long ceiling = bytes <= SMALL_BODY ? bodyBudget : bodyBudget - smallBodyReserve;
    while (true) {
      long current = bodyBytes.get();
      if (current + bytes > ceiling) {
        return null;
      }
      if (bodyBytes.compareAndSet(current, current + bytes)) {
        return new Reservation(bytes);
      }
    }
  }

  /** Room taken for one body; {@link #release()} gives it back, once, however many times it is called. */
  public final class Reservation {
    private final long bytes;
    private final AtomicBoolean released = new AtomicBoolean();

    private Reservation(long bytes) {
      this.bytes = bytes;
    }

    public long bytes() {
      return bytes;
    }

    public void release() {
      if (released.compareAndSet(false, true)) {
        bodyBytes.addAndGet(-bytes);
      }
    }
  }

  int connections() {
    return connections.get();
  }

  int requests() {
    return requests.get();
  }

  long bodyBytes() {
    return bodyBytes.get();
  }
}
