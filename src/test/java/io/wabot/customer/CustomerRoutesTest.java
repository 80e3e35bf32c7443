package io.wabot.customer;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.numbers.BusinessNumbers;
import io.wabot.queue.Keyspace;
import io.wabot.redis.RedisClients;
import io.wabot.testing.LogCapture;
import io.wabot.testing.TestApps;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The customer look-ups of /admin when Redis does not answer. */
class CustomerRoutesTest {

  static final String PHONE = "16505551234";

  @Test
  @DisplayName("a look-up by phone number while Redis is down answers 503 and logs the route, never the number in the path")
  void redisDownLogsNoNumber() {
    Vertx vertx = Vertx.vertx();
    // Nothing listens on port 1: every Redis command fails, as during an outage.
    AppConfig config = TestApps.liveConfig("redis://127.0.0.1:1");
    Redis redis = RedisClients.pooled(vertx, config.redis());
    try (LogCapture log = LogCapture.of("io.wabot")) {
      BusinessNumbers numbers = BusinessNumbers.of(vertx, config.whatsapp());
      CustomerDirectories directories = new CustomerDirectories(redis, Keyspace.of(config.queue()), Duration.ofSeconds(2),
          new SimpleMeterRegistry(), numbers);
      Router root = Router.router(vertx);
      Router admin = Router.router(vertx);
      new CustomerRoutes(directories, numbers).mount(admin);
      root.route("/admin/*").subRouter(admin);
      HttpServer server = await(vertx.createHttpServer().requestHandler(root).listen(0, "127.0.0.1"));

      int status = await(vertx.createHttpClient().request(HttpMethod.GET, server.actualPort(), "127.0.0.1",
          "/admin/customers/" + PHONE).compose(request -> request.send()).map(response -> response.statusCode()));

      assertThat(status).isEqualTo(503);
      ILoggingEvent event = log.await("admin.redis_unavailable");
      assertThat(String.valueOf(event.getKeyValuePairs())).doesNotContain(PHONE).contains("/customers/:id");
    } finally {
      redis.close();
      await(vertx.close());
    }
  }
}
