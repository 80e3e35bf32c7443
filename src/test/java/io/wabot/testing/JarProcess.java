package io.wabot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar started exactly as the docs start it, {@code java @conf/jvm.options -jar
 * target/whatsapp-chatbot.jar} (the path comes from the {@code app.jar} property that failsafe sets),
 * with nothing in its environment but {@code PATH} and what the test gives it. Closing it stops it
 * (SIGTERM, then SIGKILL), so that no test leaves a service running.
 */
public final class JarProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final Path stdout;
  private int port = -1;

  private JarProcess(Process process, Path stdout) {
    this.process = process;
    this.stdout = stdout;
  }

  /**
   * Starts the jar on {@code env}'s {@code HTTP_PORT}, stdout and stderr in {@code log}, and waits up to
   * 30 s for it to be ready.
   */
  public static JarProcess startReady(Map<String, String> env, Path log) {
    JarProcess jar = start(env, log, log);
    jar.port = Integer.parseInt(env.get("HTTP_PORT"));
    jar.awaitReady(jar.port, Duration.ofSeconds(30));
    return jar;
  }

  /** The port of a jar started with {@link #startReady}. */
  public int port() {
    return port;
  }

  /** Everything the process wrote so far. */
  public String log() throws IOException {
    return Files.exists(stdout) ? Files.readString(stdout) : "";
  }

  /** SIGKILL, as a crashed host or the OOM killer: no shutdown hook runs. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      throw new AssertionError("the jar did not die within 15 s of SIGKILL");
    }
  }

  /** SIGTERM, then SIGKILL if it takes longer than 15 s. */
  public void stop() {
    close();
  }

  /** Starts the jar; its stdout goes to {@code stdout} and its stderr to {@code stderr} (the same file when equal). */
  public static JarProcess start(Map<String, String> env, Path stdout, Path stderr) {
    ProcessBuilder builder = new ProcessBuilder("java", "@conf/jvm.options", "-jar", System.getProperty("app.jar"))
        .redirectOutput(stdout.toFile());
    if (stderr.equals(stdout)) {
      builder.redirectErrorStream(true);
    } else {
      builder.redirectError(stderr.toFile());
    }
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().putAll(env);
    try {
      return new JarProcess(builder.start(), stdout);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Process process() {
    return process;
  }

  public long pid() {
    return process.pid();
  }

  /**
   * Polls {@code GET /health/ready} until it answers 200 (a port starting to accept connections is state
   * only polling can observe); fails at once, with the end of its output, if the process exits first.
   */
  public void awaitReady(int port, Duration timeout) {
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
        .timeout(Duration.ofSeconds(5)).build();
    Polling.poll("the service on port " + port + " to be ready").atMost(timeout).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .failFast("the service exited before it was ready", () -> {
          if (!process.isAlive()) {
            throw new AssertionError("exit status " + process.exitValue() + "; its output ends:\n" + tail());
          }
        })
        .until(() -> HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  /** The last 30 lines the process wrote to its stdout file. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(stdout);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no output)";
    }
  }

  /** SIGTERM, as an orchestrator stops the service; SIGKILL if it has not exited within 15 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
