package io.wabot.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3-compatible server for one test class: S3Proxy (Maven Central, {@code org.gaul:s3proxy}),
 * run as a child JVM on a free loopback port with its buckets in a temporary folder, checking AWS
 * signatures (v2 and v4) against {@link #ACCESS_KEY} and {@link #SECRET_KEY}. The build copies its jar
 * to {@code target/s3proxy/s3proxy.jar} (system property {@code s3proxy.jar}). {@link #close()} stops it
 * and deletes its data.
 */
public final class S3ProxyServer implements AutoCloseable {

  public static final String ACCESS_KEY = "test-access-key";
  public static final String SECRET_KEY = "test-secret-key-0123456789";

  private final Path dir;
  private final int port;
  private final Process process;

  private S3ProxyServer(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  public static S3ProxyServer start() {
    String jar = System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar");
    if (!new File(jar).isFile()) {
      throw new IllegalStateException(jar + " is missing; run the build through Maven (mvn test-compile copies it)");
    }
    try {
      Path dir = Files.createTempDirectory("s3proxy-test-");
      Files.createDirectories(dir.resolve("data"));
      int port = RedisServer.freePort();
      Path properties = dir.resolve("s3proxy.conf");
      Files.writeString(properties, String.join("\n",
          "s3proxy.endpoint=http://127.0.0.1:" + port,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + ACCESS_KEY,
          "s3proxy.credential=" + SECRET_KEY,
          "jclouds.provider=filesystem",
          "jclouds.filesystem.basedir=" + dir.resolve("data")) + "\n");
      Process process = new ProcessBuilder(List.of(javaBinary(), "-Xmx128m", "-jar", jar, "--properties", properties.toString()))
          .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
      S3ProxyServer server = new S3ProxyServer(dir, port, process);
      server.awaitListening(Duration.ofSeconds(30));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The buckets' folder: a bucket is a folder in it (S3Proxy's filesystem backend). */
  public Path dataDir() {
    return dir.resolve("data");
  }

  /** Creates a bucket, as an operator would before pointing the bot at it. */
  public void createBucket(String name) {
    try {
      Files.createDirectories(dataDir().resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port starting to accept connections is state only polling can observe; fails at once if S3Proxy exits. */
  private void awaitListening(Duration timeout) {
    try {
      Polling.poll("S3Proxy to listen on port %d", port).atMost(timeout).pollInterval(Duration.ofMillis(50))
          .failFast("S3Proxy exited at start; see " + dir.resolve("s3proxy.log"), () -> !process.isAlive())
          .until(() -> {
            try (Socket socket = new Socket()) {
              socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
              return true;
            } catch (IOException notYet) {
              return false;
            }
          });
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException ignored) {
      // a temporary folder; the OS cleans it eventually
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
