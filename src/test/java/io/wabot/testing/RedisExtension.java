package io.wabot.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class its own {@link RedisServer}, started once for the class (its {@code @Nested}
 * classes share it), running and empty before each test (a test that stopped it gets it back), and
 * removed after the class.
 *
 * <pre>{@code
 * @RegisterExtension static final RedisExtension REDIS = new RedisExtension();
 * }</pre>
 */
public final class RedisExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private RedisServer server;
  /** The test class that started the server: nested classes run their beforeAll/afterAll on this same extension. */
  private String owner;

  public RedisServer server() {
    return server;
  }

  public String url() {
    return server.url();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // A @Nested class calls this again on the same instance: starting a second server here would
    // orphan the first one (and it would outlive the whole build), so it shares the outer one.
    if (server == null) {
      server = RedisServer.startNew();
      owner = context.getUniqueId();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    server.start();
    server.flushAll();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null && context.getUniqueId().equals(owner)) {
      server.close();
      server = null;
    }
  }
}
