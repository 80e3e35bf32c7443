package io.wabot.benchmark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of Redis's protocol (RESP2) for the benchmark's own measurements: one connection,
 * commands sent one at a time or pipelined, replies read as text, numbers, lists or null. Errors come
 * back as an {@link IOException}.
 */
final class Resp implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  Resp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    out = new BufferedOutputStream(socket.getOutputStream());
    in = new BufferedInputStream(socket.getInputStream());
  }

  /** One command and its reply. */
  Object call(String... args) throws IOException {
    return pipeline(List.<String[]>of(args)).get(0);
  }

  /** Sends every command, then reads the replies in order: one round trip for all of them. */
  List<Object> pipeline(List<String[]> commands) throws IOException {
    for (String[] args : commands) {
      write(args);
    }
    out.flush();
    List<Object> replies = new ArrayList<>(commands.size());
    for (int i = 0; i < commands.size(); i++) {
      replies.add(read());
    }
    return replies;
  }

  private void write(String[] args) throws IOException {
    out.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      out.write(('$' + Integer.toString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.write('\r');
      out.write('\n');
    }
  }

  private Object read() throws IOException {
    String header = readLine();
    if (header.isEmpty()) {
      throw new IOException("Redis answered an empty line");
    }
    String rest = header.substring(1);
    return switch (header.charAt(0)) {
      case '+' -> rest;
      case '-' -> throw new IOException("Redis answered: " + rest);
      case ':' -> Long.parseLong(rest);
      case '$' -> {
        int length = Integer.parseInt(rest);
        if (length < 0) {
          yield null;
        }
        String text = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        in.readNBytes(2); // the CRLF after the bulk string
        yield text;
      }
      case '*' -> {
        int count = Integer.parseInt(rest);
        if (count < 0) {
          yield null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read());
        }
        yield items;
      }
      default -> throw new IOException("Redis answered " + header);
    };
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    if (c == -1) {
      throw new IOException("Redis closed the connection");
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
