package io.wabot.observability.alerts;

import io.vertx.core.Future;
import io.vertx.ext.web.client.WebClient;
import io.wabot.config.Secret;
import io.wabot.observability.Events;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings a Better Stack Uptime heartbeat: the URL while the service is healthy, {@code <url>/fail}
 * while it is not. A service that died, hangs or lost its network stops pinging, and Better Stack
 * raises an incident on its own. The URL is a credential and never logged.
 */
final class Heartbeat {

  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

  private final WebClient client;
  private final Secret url;
  private final BooleanSupplier healthy;
  private final long timeoutMs;
  private Boolean lastReached;
  private Boolean lastHealthy;
  private boolean stopped;

  Heartbeat(WebClient client, Secret url, BooleanSupplier healthy, Duration timeout) {
    this.client = client;
    this.url = url;
    this.healthy = healthy;
    this.timeoutMs = timeout.toMillis();
  }

  /** Stops reporting: a ping cut short by the shutdown is not Better Stack being unreachable. */
  void stop() {
    stopped = true;
  }

  Future<Void> beat() {
    boolean ok = healthy.getAsBoolean();
    if (lastHealthy == null || lastHealthy != ok) {
      lastHealthy = ok;
      Events.info(LOG, "heartbeat.state").addKeyValue("healthy", ok)
          .log(ok ? "Heartbeat: reporting the service healthy" : "Heartbeat: reporting the service unhealthy (/fail)");
    }
    return client.getAbs(ok ? url.value() : url.value() + "/fail")
        .timeout(timeoutMs)
        .send()
        .map(response -> response.statusCode() >= 200 && response.statusCode() < 300)
        .otherwise(false)
        .map(reached -> {
          if (stopped) {
            return null;
          }
          if (lastReached == null || lastReached != reached) {
            var event = reached ? Events.info(LOG, "heartbeat.reached") : Events.warn(LOG, "heartbeat.unreachable");
            event.log(reached ? "Heartbeat reaches Better Stack" : "Heartbeat cannot reach Better Stack (check BETTERSTACK_HEARTBEAT_URL)");
            lastReached = reached;
          }
          return null;
        });
  }
}
