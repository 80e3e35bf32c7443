package io.wabot.http;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import io.wabot.testing.LogCapture;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class HttpFailuresTest {

  /** Far more than the loopback socket buffers of both ends hold: the server is still writing when the client leaves. */
  static final long LARGE = 64L * 1024 * 1024;

  @TempDir
  Path files;

  Vertx vertx;
  HttpServer server;
  LogCapture logs;

  @BeforeEach
  void start() throws IOException {
    try (RandomAccessFile large = new RandomAccessFile(files.resolve("large.bin").toFile(), "rw")) {
      large.setLength(LARGE); // sparse: nothing written to the disk
    }
    logs = LogCapture.of(HttpFailures.class); // puts the level back when closed
    ((Logger) LoggerFactory.getLogger(HttpFailures.class)).setLevel(Level.DEBUG);
    vertx = Vertx.vertx();
    // as HttpServerVerticle mounts it: static files (the sandbox page) and the failure handler last
    Router router = Router.router(vertx);
    router.route("/files/*").handler(StaticHandler.create(FileSystemAccess.ROOT, files.toString()));
    router.get("/broken").handler(ctx -> {
      throw new IllegalStateException("a bug of ours");
    });
    router.route().failureHandler(new HttpFailures());
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    logs.close();
    await(vertx.close());
  }

  @Test
  @DisplayName("a client that hangs up while a large file is written is no server error: http.client_gone at DEBUG, no http.error")
  void clientHangsUpMidDownload() {
    NetClient client = vertx.createNetClient();
    NetSocket socket = await(client.connect(server.actualPort(), "127.0.0.1"));
    Promise<Buffer> firstBytes = Promise.promise();
    socket.handler(data -> {
      socket.pause(); // reads no more: the server's writes pile up in the buffers until it meets the closed connection
      firstBytes.tryComplete(data);
    });
    socket.exceptionHandler(e -> { });
    socket.write("GET /files/large.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

    assertThat(await(firstBytes.future()).toString()).startsWith("HTTP/1.1 200");
    await(socket.close());

    // the server has seen the close once its failure handler has spoken, whichever way it speaks
    ILoggingEvent seen = logs.awaitMatching(e -> Set.of("http.client_gone", "http.error").contains(LogCapture.value(e, "event")));
    assertThat(LogCapture.value(seen, "event")).as("what the server logged when the client left: " + seen.getFormattedMessage()
        + " " + (seen.getThrowableProxy() == null ? "" : seen.getThrowableProxy().getMessage())).isEqualTo("http.client_gone");
    assertThat(seen.getLevel()).isEqualTo(Level.DEBUG);
    assertThat(logs.events()).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
  }

  @Test
  @DisplayName("a failure of ours is still http.error at ERROR with its stack trace, answered 500 in JSON")
  void ourFailureIsAnError() {
    WebClient client = WebClient.create(vertx);
    HttpResponse<Buffer> response = await(client.get(server.actualPort(), "127.0.0.1", "/broken").send());

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("internal error");
    ILoggingEvent error = logs.await("http.error");
    assertThat(error.getLevel()).isEqualTo(Level.ERROR);
    assertThat(error.getThrowableProxy().getMessage()).isEqualTo("a bug of ours");
    assertThat(logs.named("http.client_gone")).isEmpty();
  }

  @Test
  @DisplayName("closed-connection failures are told from the others, also when wrapped")
  void tellsClosedConnections() {
    assertThat(HttpFailures.closedConnection(new IOException("Broken pipe"))).isTrue();
    assertThat(HttpFailures.closedConnection(new IOException("readAddress(..) failed: Connection reset by peer"))).isTrue();
    assertThat(HttpFailures.closedConnection(new RuntimeException(new ClosedChannelException()))).isTrue();
    assertThat(HttpFailures.closedConnection(new HttpClosedException("Connection was closed"))).isTrue();
    assertThat(HttpFailures.closedConnection(new IOException("No space left on device"))).isFalse();
    assertThat(HttpFailures.closedConnection(new IllegalStateException("connection reset"))).as("not an I/O failure").isFalse();
    assertThat(HttpFailures.closedConnection(null)).isFalse();
  }
}
