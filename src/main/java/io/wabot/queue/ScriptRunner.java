package io.wabot.queue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the queue's Lua scripts (under {@code src/main/resources/lua}, each prefixed with
 * {@code common.lua}) by SHA with {@code EVALSHA}, sending the source again when Redis answers
 * {@code NOSCRIPT}, which it does after every restart, since the script cache is not persisted.
 */
public final class ScriptRunner {

  private static final Map<String, Script> CACHE = new ConcurrentHashMap<>();

  private record Script(String source, String sha) {
  }

  private final Redis redis;
  private final Duration timeout;

  public ScriptRunner(Redis redis, Duration timeout) {
    this.redis = redis;
    this.timeout = timeout;
  }

  /**
   * Runs a script. {@code routingKey} is passed as the only KEYS entry so Redis Cluster sends the call
   * to the node owning the bot's hash slot; the scripts derive their keys from the prefix in ARGV.
   */
  public Future<Response> run(String name, String routingKey, List<?> args) {
    Script script = CACHE.computeIfAbsent(name, ScriptRunner::load);
    // After NOSCRIPT, EVAL with the source: it is routed by key like EVALSHA (a keyless SCRIPT LOAD
    // could land on another Redis Cluster node) and caches the script for the next EVALSHA.
    return redis.send(call(Command.EVALSHA, script.sha(), routingKey, args))
        .recover(e -> isNoScript(e)
            ? redis.send(call(Command.EVAL, script.source(), routingKey, args))
            : Future.failedFuture(e))
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Each argument is a String (sent as UTF-8) or a Buffer sent as it is: a job's JSON is passed as the bytes
   * Jackson wrote ({@code JsonObject.toBuffer()}), not as a String that would be encoded again.
   */
  private static Request call(Command command, String script, String routingKey, List<?> args) {
    Request request = Request.cmd(command).arg(script).arg(1).arg(routingKey);
    for (Object arg : args) {
      if (arg instanceof Buffer bytes) {
        request.arg(bytes);
      } else if (arg instanceof String text) {
        request.arg(Buffer.buffer(text, "UTF-8"));
      } else {
        throw new IllegalArgumentException("a script argument is a String or a Buffer, not " + arg);
      }
    }
    return request;
  }

  private static boolean isNoScript(Throwable e) {
    return e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
  }

  private static Script load(String name) {
    String source = read("lua/common.lua") + "\n" + read("lua/" + name + ".lua");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return new Script(source, HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(String resource) {
    try (InputStream in = ScriptRunner.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
