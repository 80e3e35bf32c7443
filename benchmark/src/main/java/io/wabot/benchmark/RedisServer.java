package io.wabot.benchmark;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A private redis-server for one benchmark run, configured as the README asks of production (AOF
 * written every second, {@code noeviction}), with its data in the run's folder; or an existing one
 * named by URL. Speaks just enough RESP to read INFO.
 */
public final class RedisServer implements AutoCloseable {

  private final Process process;
  private final int port;

  private RedisServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts an empty Redis in {@code dir}, removing what an earlier run left there. */
  public static RedisServer start(Path dir) throws IOException, InterruptedException {
    // An earlier run's AOF would replay its keys: its message ids' dedup keys among them, and this
    // run's messages (the same ids) would be ignored as duplicates and never answered.
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
    Files.createDirectories(dir);
    int port = freePort();
    Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--dir", dir.toAbsolutePath().toString(), "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
        "--maxmemory-policy", "noeviction", "--logfile", dir.resolve("redis.log").toAbsolutePath().toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.out").toFile()).start();
    RedisServer server = new RedisServer(process, port);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        server.command("PING");
        return server;
      } catch (IOException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IOException("redis-server did not start on port " + port + " (see " + dir.resolve("redis.log") + ")", e);
        }
        Thread.sleep(50);
      }
    }
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  /** One INFO section as name/value pairs. */
  public Map<String, String> info(String section) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : command("INFO", section).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    return fields;
  }

  public long usedMemory() throws IOException {
    return Long.parseLong(info("memory").get("used_memory"));
  }

  public long keys() throws IOException {
    return Long.parseLong(command("DBSIZE"));
  }

  /** Sends one command and returns a simple, integer or bulk reply as text. */
  String command(String... args) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
      for (String arg : args) {
        request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String header = readLine(in);
      switch (header.charAt(0)) {
        case '+', ':' -> {
          return header.substring(1);
        }
        case '$' -> {
          int length = Integer.parseInt(header.substring(1));
          return length < 0 ? null : new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
        default -> throw new IOException("Redis answered " + header);
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    if (c == -1) {
      throw new IOException("connection closed");
    }
    return line.toString();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
