package io.wabot.flows;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import io.wabot.config.AppConfig;
import io.wabot.queue.Keyspace;
import io.wabot.queue.ScriptRunner;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Issues and checks flow tokens ({@code flowtoken:<token>} in Redis). A token is bound to one
 * conversation and one flow, expires after {@code flows.tokenTtl}, and is used up when the flow is
 * completed: the endpoint refuses unknown, expired or used tokens with 427, and a completion
 * ({@code nfm_reply}) is accepted only once, from the conversation the token was issued to.
 *
 * <p>Expiry is judged on Redis's clock, so every process agrees. An expired token is remembered for
 * a day more, so that late uses are reported as expired rather than unknown.
 */
public final class FlowTokens {

  static final Duration KEEP_AFTER_EXPIRY = Duration.ofDays(1);
  /** Longer values are not ours: refused without asking Redis. */
  static final int MAX_TOKEN_LENGTH = 128;
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9._-]{8," + MAX_TOKEN_LENGTH + "}");
  private static final String PREFIX = "wbf1.";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Keyspace keyspace;
  private final ScriptRunner scripts;
  private final Duration ttl;

  public FlowTokens(Redis redis, AppConfig config) {
    this.keyspace = Keyspace.of(config.queue());
    this.scripts = new ScriptRunner(redis, config.redis().commandTimeout());
    this.ttl = config.flows().tokenTtl();
  }

  /**
   * A new token for sending {@code flowName} in the conversation {@code conversationKey}.
   *
   * @param context small, non-personal facts the flow's handler needs (e.g. {@code {"sku": "HP-200"}})
   */
  public Future<FlowToken> issue(String conversationKey, String flowName, JsonObject context) {
    String value = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
    List<String> args = List.of(keyspace.prefix(), value, conversationKey, flowName, context.encode(),
        Long.toString(ttl.toMillis()), Long.toString(KEEP_AFTER_EXPIRY.toMillis()));
    return scripts.run("flow_token_issue", keyspace.key("flowtoken"), args).compose(expires -> expires.toLong() == 0
        ? Future.failedFuture(new IllegalStateException("a random flow token was drawn twice"))
        : Future.succeededFuture(new FlowToken(value, conversationKey, flowName, context.copy(),
            Instant.ofEpochMilli(expires.toLong()))));
  }

  /** Whether a request of the data-exchange endpoint may go on with this token (it stays usable). */
  public Future<FlowTokenCheck> check(String token) {
    return run(token, "check", "");
  }

  /** Uses the token up for the completion of its flow, if it belongs to {@code conversationKey}. */
  public Future<FlowTokenCheck> complete(String token, String conversationKey) {
    return complete(token, conversationKey, "");
  }

  /**
   * Like {@link #complete(String, String)}, for the completion message {@code messageId}: that same
   * message asking again (its job retried after a crash) is accepted again, any other refused as used.
   */
  public Future<FlowTokenCheck> complete(String token, String conversationKey, String messageId) {
    return run(token, "complete", conversationKey, messageId == null ? "" : messageId);
  }

  private Future<FlowTokenCheck> run(String token, String mode, String conversationKey) {
    return run(token, mode, conversationKey, "");
  }

  private Future<FlowTokenCheck> run(String token, String mode, String conversationKey, String messageId) {
    if (token == null || !SHAPE.matcher(token).matches()) {
      return Future.succeededFuture(new FlowTokenCheck.Refused(FlowTokenCheck.Reason.UNKNOWN, null));
    }
    return scripts.run("flow_token_check", keyspace.key("flowtoken"), List.of(keyspace.prefix(), token, mode, conversationKey, messageId))
        .map(reply -> verdict(token, reply));
  }

  private static FlowTokenCheck verdict(String token, Response reply) {
    String verdict = reply.get(0).toString();
    if ("unknown".equals(verdict)) {
      return new FlowTokenCheck.Refused(FlowTokenCheck.Reason.UNKNOWN, null);
    }
    FlowToken known = new FlowToken(token, reply.get(1).toString(), reply.get(2).toString(),
        new JsonObject(reply.get(3).toString()), Instant.ofEpochMilli(reply.get(4).toLong()));
    return switch (verdict) {
      case "valid" -> new FlowTokenCheck.Valid(known);
      case "expired" -> new FlowTokenCheck.Refused(FlowTokenCheck.Reason.EXPIRED, known);
      case "used" -> new FlowTokenCheck.Refused(FlowTokenCheck.Reason.USED, known);
      default -> new FlowTokenCheck.Refused(FlowTokenCheck.Reason.FOREIGN, known);
    };
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
