package io.wabot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar started as production starts it ({@code java @conf/jvm.options -jar}), with only the
 * given environment, its output in a file; {@link #startReady} returns once {@code /health/ready} answers.
 */
public final class JarProcess {

  private final Process process;
  private final Path log;
  private final int port;

  private JarProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts the jar on {@code env}'s {@code HTTP_PORT} and waits up to 30 s for it to be ready. */
  public static JarProcess startReady(Map<String, String> env, Path log) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("java", "@conf/jvm.options", "-jar", System.getProperty("app.jar"))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().putAll(env);
    JarProcess jar = new JarProcess(builder.start(), log, Integer.parseInt(env.get("HTTP_PORT")));
    boolean ready = TestApps.eventually(Duration.ofSeconds(30), () -> {
      if (!jar.process.isAlive()) {
        throw new AssertionError("the jar exited with " + jar.process.exitValue() + "; its log:\n" + jar.log());
      }
      return Webhooks.get(jar.port, "/health/ready").statusCode() == 200;
    });
    assertThat(ready).as("ready within 30 s; log:%n%s", jar.log()).isTrue();
    return jar;
  }

  public int port() {
    return port;
  }

  public Process process() {
    return process;
  }

  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** SIGKILL, as a crashed host or the OOM killer: no shutdown hook runs. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("killed").isTrue();
  }

  /** SIGTERM, then SIGKILL if it takes longer than 15 s. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
