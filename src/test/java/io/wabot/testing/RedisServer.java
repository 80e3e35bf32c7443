package io.wabot.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} for one test class: its own free port and data folder, with AOF on
 * (fsync always, so a kill loses nothing the server acknowledged). Tests can stop, kill and start it
 * again on the same port to exercise Redis failures without touching anyone else's Redis.
 */
public final class RedisServer implements AutoCloseable {

  private final Path dir;
  private final int port;
  private final List<String> extraArgs;
  private Process process;

  private RedisServer(Path dir, int port, List<String> extraArgs) {
    this.dir = dir;
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
  }

  public static RedisServer startNew() {
    return startNew(List.of());
  }

  /** A server with more options, e.g. {@code --cluster-enabled yes} or {@code --replicaof host port}. */
  public static RedisServer startNew(List<String> extraArgs) {
    try {
      RedisServer server = new RedisServer(Files.createTempDirectory("redis-test-"), freePort(), extraArgs);
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public Path dataDir() {
    return dir;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Starts (or restarts) the server on the same port and data folder, and waits until it answers. */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
        "--maxmemory-policy", "noeviction", "--logfile", dir.resolve("redis.log").toString(), "--daemonize", "no"));
    command.addAll(extraArgs);
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.out").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server; install it (apt-get install redis-server)", e);
    }
    waitUntil(true, Duration.ofSeconds(10));
  }

  /** Graceful stop: the server flushes its AOF and exits. */
  public synchronized void stop() {
    if (!isRunning()) {
      return;
    }
    try {
      command("SHUTDOWN");
    } catch (RuntimeException ignored) {
      // the connection closes as the server exits
    }
    awaitExit();
  }

  /** Abrupt stop (SIGKILL), like a crashed host. */
  public synchronized void kill() {
    if (isRunning()) {
      process.destroyForcibly();
      awaitExit();
    }
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    waitUntil(false, Duration.ofSeconds(5));
  }

  public void flushAll() {
    command("FLUSHALL");
  }

  /** Sends one command (space-separated words) and returns the first line of the answer. */
  public String command(String... words) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      StringBuilder resp = new StringBuilder("*" + words.length + "\r\n");
      for (String word : words) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        resp.append('$').append(bytes.length).append("\r\n").append(word).append("\r\n");
      }
      out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String line = in.readLine();
      if (line != null && line.startsWith("$") && !line.equals("$-1")) {
        return in.readLine();
      }
      return line;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean answers() {
    try {
      return "+PONG".equals(command("PING"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Polls with PING: a process accepting connections is state only polling can observe. */
  private void waitUntil(boolean up, Duration timeout) {
    Polling.poll("redis-server on port " + port + " to " + (up ? "start" : "stop") + " (see " + dir.resolve("redis.log") + ")")
        .atMost(timeout).pollInterval(Duration.ofMillis(20))
        .failFast("redis-server exited at start-up; see " + dir.resolve("redis.log"), () -> up && !isRunning())
        .until(() -> answers() == up);
  }

  @Override
  public void close() {
    kill();
    deleteRecursively(dir.toFile());
  }

  private static void deleteRecursively(File file) {
    File[] children = file.listFiles();
    if (children != null) {
      for (File child : children) {
        deleteRecursively(child);
      }
    }
    file.delete();
  }

  private static String binary() {
    for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server")) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    return "redis-server";
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
