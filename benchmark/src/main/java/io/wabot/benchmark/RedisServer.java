package io.wabot.benchmark;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A private redis-server for one benchmark run, configured as docs/operations.md asks of production (AOF
 * written every second, {@code noeviction}), with its data in the run's folder; or an existing one
 * named by URL. Speaks just enough RESP ({@link Resp}) to read INFO and look at the keys a run left.
 */
public final class RedisServer implements AutoCloseable {

  private final Process process;
  private final int port;
  /** The benchmark's own commands by their commandstats name, so they can be left out of the bots' count. */
  private final Map<String, Long> own = new HashMap<>();
  private Resp session;

  private RedisServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts an empty Redis in {@code dir}, removing what an earlier run left there. */
  public static RedisServer start(Path dir) throws IOException, InterruptedException {
    // An earlier run's AOF would replay its keys: its message ids' dedup keys among them, and this
    // run's messages (the same ids) would be ignored as duplicates and never answered.
    Folders.delete(dir);
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
        server.withoutLatencyTracking();
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

  /**
   * Redis 7 keeps a latency histogram per command, made the first time the command runs (some 25 KB
   * each): a few dozen of them would be taken for what the messages left. Older versions have no such
   * setting and need nothing.
   */
  private void withoutLatencyTracking() throws IOException {
    try {
      command("CONFIG", "SET", "latency-tracking", "no");
    } catch (IOException e) {
      if (!e.getMessage().contains("latency-tracking")) {
        throw e;
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
    return RedisCommands.infoFields(command("INFO", section));
  }

  public long usedMemory() throws IOException {
    return Long.parseLong(info("memory").get("used_memory"));
  }

  /**
   * The memory Redis uses for data: {@code used_memory} less the AOF buffer and the scripts' cache
   * (a fixed cost, whatever the number of messages), read once the
   * benchmark's own connection is the only one left (the bots' connections and any other closed and
   * freed), so that no other connection's buffers are counted. Redis tracks its clients' buffers only
   * from time to time ({@code mem_clients_normal} lags), so they are not subtracted but kept out.
   */
  public long dataMemory() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (Long.parseLong(info("clients").get("connected_clients")) > 1) {
      if (System.nanoTime() > deadline) {
        throw new IOException("Redis still has other clients than the benchmark 10 s after they were stopped");
      }
      Thread.sleep(20);
    }
    Map<String, String> memory = info("memory");
    return Long.parseLong(memory.get("used_memory")) - Long.parseLong(memory.getOrDefault("mem_aof_buffer", "0"))
        - Long.parseLong(memory.getOrDefault("used_memory_scripts", "0"));
  }

  /**
   * A connection apart from the benchmark's own, for work whose buffers must not stay: close it after.
   * Its commands are not counted as the benchmark's: use it only after the last {@link #commandStats()}.
   */
  Resp connect() throws IOException {
    return new Resp(port);
  }

  public long keys() throws IOException {
    return Long.parseLong(command("DBSIZE"));
  }

  /**
   * {@code INFO commandstats} with the benchmark's own commands counted so far (before this one): the
   * difference of two snapshots is what the bots asked of Redis, see {@link RedisCommands#between}.
   */
  public synchronized RedisCommands.Snapshot commandStats() throws IOException {
    Map<String, Long> ownSoFar = Map.copyOf(own);
    return new RedisCommands.Snapshot(RedisCommands.calls(RedisCommands.infoFields(command("INFO", "commandstats"))), ownSoFar);
  }

  /**
   * Sends one command on the benchmark's own connection and returns its reply as text. Each command is
   * counted, so that it can be told apart from the bots' in {@code INFO commandstats}.
   */
  synchronized String command(String... args) throws IOException {
    if (session == null) {
      session = new Resp(port);
    }
    own.merge(RedisCommands.statName(args), 1L, Long::sum);
    try {
      return String.valueOf(session.call(args));
    } catch (IOException e) {
      session.close();
      session = null; // a later command connects again
      throw e;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (session != null) {
        try {
          session.close();
        } catch (IOException e) {
          // the server goes next anyway
        }
        session = null;
      }
    }
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
