package io.wabot.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.time.Duration;

/**
 * A raw TCP connection to the bot, for what no polite HTTP client sends: headers trickled a byte at a
 * time, bodies half sent, connections held open doing nothing. Tests wait on its signals: the first
 * line of an answer ({@link #statusLine()}), the server closing the connection ({@link #closed()}).
 */
public final class RawConnection {

  private final Vertx vertx;
  private final NetSocket socket;
  private final Buffer received = Buffer.buffer();
  private final Promise<String> statusLine = Promise.promise();
  private final Promise<Void> closed = Promise.promise();
  private long trickle = -1;
  private volatile int trickled;

  private RawConnection(Vertx vertx, NetSocket socket) {
    this.vertx = vertx;
    this.socket = socket;
    socket.handler(data -> {
      synchronized (received) {
        received.appendBuffer(data);
        String text = received.toString();
        int end = text.indexOf("\r\n");
        if (end > 0) {
          statusLine.tryComplete(text.substring(0, end));
        }
      }
    });
    socket.closeHandler(v -> {
      vertx.cancelTimer(trickle);
      closed.tryComplete();
    });
    socket.exceptionHandler(e -> { });
  }

  public static RawConnection open(Vertx vertx, NetClient client, int port) {
    NetSocket socket = Futures.await(client.connect(port, "127.0.0.1"));
    return new RawConnection(vertx, socket);
  }

  public RawConnection write(String text) {
    socket.write(text);
    return this;
  }

  public RawConnection write(Buffer bytes) {
    socket.write(bytes);
    return this;
  }

  /** Sends {@code text} one byte per {@code every}, as a slow-loris client does, until done or closed. */
  public RawConnection trickle(String text, Duration every) {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    trickle = vertx.setPeriodic(every.toMillis(), id -> {
      if (trickled >= bytes.length) {
        vertx.cancelTimer(id);
        return;
      }
      socket.write(Buffer.buffer(new byte[] {bytes[trickled++]}));
    });
    return this;
  }

  /** Bytes trickled so far. */
  public int trickled() {
    return trickled;
  }

  /** Completes with the first line of the server's answer, e.g. {@code HTTP/1.1 503 Service Unavailable}. */
  public Future<String> statusLine() {
    return statusLine.future();
  }

  /** Completes when the connection is closed, by either side. */
  public Future<Void> closed() {
    return closed.future();
  }

  /** Everything the server sent so far. */
  public String received() {
    synchronized (received) {
      return received.toString();
    }
  }

  public void close() {
    vertx.cancelTimer(trickle);
    socket.close();
  }
}
