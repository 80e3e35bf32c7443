package io.wabot.conversation;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.wabot.queue.Commit;
import io.wabot.queue.Keyspace;
import java.time.Duration;
import java.time.Instant;

/**
 * Reads a customer's conversation state, chosen language and 24-hour window from Redis; writing them
 * is expressed as {@link Commit} effects so it happens atomically with the job's acknowledgement.
 *
 * <p>Keys, relative to the {@link Keyspace}, by the customer's conversation key (never a phone number,
 * which may be hidden; see {@code CustomerIdentity}): {@code state:<key>} (JSON, TTL
 * {@code conversation.stateTtl}), {@code locale:<key>} (the language the customer picked, kept for a
 * year) and {@code window:<key>} (present while the customer-service window is open: it expires 24 h
 * after their last message).
 */
public final class StateStore {

  /** WhatsApp's customer-service window. */
  public static final Duration SERVICE_WINDOW = Duration.ofHours(24);
  static final Duration LOCALE_CHOICE_TTL = Duration.ofDays(365);

  /** What was stored for a customer; {@code state} is null when there is none (new, expired or lost). */
  public record Loaded(ConversationState state, String chosenLocale, boolean unreadable) {
  }

  private final Redis redis;
  private final Keyspace keyspace;
  private final Duration stateTtl;

  public StateStore(Redis redis, Keyspace keyspace, Duration stateTtl) {
    this.redis = redis;
    this.keyspace = keyspace;
    this.stateTtl = stateTtl;
  }

  public static String stateKey(String customerKey) {
    return "state:" + customerKey;
  }

  public static String localeKey(String customerKey) {
    return "locale:" + customerKey;
  }

  public static String windowKey(String customerKey) {
    return "window:" + customerKey;
  }

  public Future<Loaded> load(String customerKey) {
    return redis.send(Request.cmd(Command.MGET).arg(keyspace.key(stateKey(customerKey))).arg(keyspace.key(localeKey(customerKey))))
        .map(reply -> {
          Response rawState = reply.get(0);
          String locale = reply.get(1) == null ? null : reply.get(1).toString();
          if (rawState == null) {
            return new Loaded(null, locale, false);
          }
          try {
            return new Loaded(ConversationState.fromJson(new JsonObject(rawState.toBuffer())), locale, false);
          } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
            return new Loaded(null, locale, true);
          }
        });
  }

  /** Whether the customer wrote within the last 24 hours, so free-form messages may be sent. */
  public Future<Boolean> windowOpen(String customerKey) {
    return redis.send(Request.cmd(Command.EXISTS).arg(keyspace.key(windowKey(customerKey))))
        .map(reply -> reply != null && reply.toInteger() > 0);
  }

  public Commit save(Commit commit, ConversationState state) {
    return commit.put(stateKey(state.customer()), state.toJson().encode(), stateTtl);
  }

  public Commit rememberLocale(Commit commit, String customerKey, String locale) {
    return commit.put(localeKey(customerKey), locale, LOCALE_CHOICE_TTL);
  }

  /** Opens (or keeps open) the window until 24 h after the customer sent {@code sentAt}; nothing if that has passed. */
  public Commit openWindow(Commit commit, String customerKey, Instant sentAt, Instant now) {
    Instant sent = sentAt.isAfter(now) ? now : sentAt; // the phone's clock may run ahead of ours
    Duration left = SERVICE_WINDOW.minus(Duration.between(sent, now));
    if (left.isNegative() || left.isZero()) {
      return commit;
    }
    return commit.put(windowKey(customerKey), sent.toString(), left);
  }

}
