package io.wabot.testing;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The echo bot's registration ({@code target/test-classes/echo-bot/META-INF/services}) beside ours, as an adopter's
 * jar would put it on the class path: the bot discovery then finds both the sales example and {@code com.example.echo.EchoBot}.
 */
public final class AdopterClassPath {

  private AdopterClassPath() {
  }

  /** Runs {@code action} with the echo bot registered on the thread's context class loader. */
  public static <T> T withEchoBot(Supplier<T> action) throws Exception {
    URL registration = Path.of("target/test-classes/echo-bot").toUri().toURL();
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {registration}, before)) {
      thread.setContextClassLoader(loader);
      return action.get();
    } finally {
      thread.setContextClassLoader(before);
    }
  }
}
