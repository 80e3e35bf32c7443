package io.wabot.observability.logs;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.json.JsonObject;
import io.wabot.config.BetterStackConfig;
import io.wabot.testing.FakeBetterStack;
import io.wabot.testing.TestApps;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds what the shipping tests share: a configuration pointing at the fake, and a logger feeding a private buffer. */
final class ShippingFixture {

  private ShippingFixture() {
  }

  /** Better Stack settings as an operator would write them, pointing at {@code ingestUrl}. */
  static BetterStackConfig config(String ingestUrl, String token, JsonObject betterstack) {
    Map<String, String> env = TestApps.liveEnv("redis://127.0.0.1:6379");
    env.put("BETTERSTACK_INGEST_URL", ingestUrl);
    if (token != null) {
      env.put("BETTERSTACK_SOURCE_TOKEN", token);
    }
    JsonObject defaults = new JsonObject()
        .put("flushInterval", "50ms")
        .put("retryInitialBackoff", "20ms")
        .put("retryMaxBackoff", "100ms")
        .put("maxAttempts", 1000)
        .mergeIn(betterstack);
    return TestApps.config(env, new JsonObject().put("betterstack", defaults)).betterStack();
  }

  static BetterStackConfig config(FakeBetterStack fake, JsonObject betterstack) {
    return config(fake.url(), FakeBetterStack.TOKEN, betterstack);
  }

  /** A logger of its own whose events go through a {@link BetterStackAppender} into {@code buffer} only. */
  static Logger loggerInto(LogBuffer buffer) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger logger = context.getLogger("shipping-test." + UUID.randomUUID());
    logger.setAdditive(false);
    logger.setLevel(Level.INFO);
    BetterStackAppender appender = new BetterStackAppender();
    appender.setContext(context);
    appender.setBuffer(buffer);
    appender.start();
    logger.addAppender(appender);
    return logger;
  }
}
