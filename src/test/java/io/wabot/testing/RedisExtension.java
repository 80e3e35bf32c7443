package io.wabot.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class its own {@link RedisServer}, started once for the class, running and empty
 * before each test (a test that stopped it gets it back), and removed afterwards. {@code @Nested}
 * classes share their outer class's server: JUnit calls the class callbacks for each of them too.
 *
 * <pre>{@code
 * @RegisterExtension static final RedisExtension REDIS = new RedisExtension();
 * }</pre>
 */
public final class RedisExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private RedisServer server;
  private String startedFor;

  public RedisServer server() {
    return server;
  }

  public String url() {
    return server.url();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (server == null) {
      server = RedisServer.startNew();
      startedFor = context.getUniqueId();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    server.start();
    server.flushAll();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null && context.getUniqueId().equals(startedFor)) {
      server.close();
      server = null;
    }
  }
}
