package io.wabot.conversation.consent;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.wabot.customer.CustomerIdentity;
import io.wabot.queue.Commit;
import io.wabot.queue.Keyspace;
import io.wabot.whatsapp.inbound.InboundMessage;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.time.Instant;

/**
 * The default {@link ConsentHook}: opt-outs live in Redis without expiry, {@code optout:<key>} for a
 * STOP and {@code optout-marketing:<key>} for WhatsApp's marketing controls (the customer's conversation
 * key, so an opt-out holds whichever of their ids they write from), each holding when and
 * how it happened. Policy: after STOP only the consent confirmations go out; after a marketing
 * opt-out only messages marked {@link MessagePurpose#MARKETING} are held back (service replies to a
 * customer who writes in are not marketing).
 */
public final class RedisConsentHook implements ConsentHook {

  private final Redis redis;
  private final Keyspace keyspace;

  public RedisConsentHook(Redis redis, Keyspace keyspace) {
    this.redis = redis;
    this.keyspace = keyspace;
  }

  static String allKey(String customerKey) {
    return "optout:" + customerKey;
  }

  static String marketingKey(String customerKey) {
    return "optout-marketing:" + customerKey;
  }

  @Override
  public Future<ConsentStatus> onInbound(InboundMessage message) {
    return status(message.customer());
  }

  @Override
  public Future<ConsentStatus> status(CustomerIdentity customer) {
    String key = customer.key();
    return redis.send(Request.cmd(Command.MGET).arg(keyspace.key(allKey(key))).arg(keyspace.key(marketingKey(key))))
        .map(reply -> {
          Instant all = since(reply.get(0));
          Instant marketing = since(reply.get(1));
          if (all == null && marketing == null) {
            return ConsentStatus.SUBSCRIBED;
          }
          Instant latest = all == null ? marketing : marketing == null || all.isAfter(marketing) ? all : marketing;
          return new ConsentStatus(all != null, marketing != null, latest);
        });
  }

  private static Instant since(Response value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(new JsonObject(value.toString()).getString("at"));
    } catch (RuntimeException e) {
      return Instant.EPOCH; // present but unreadable: still an opt-out
    }
  }

  @Override
  public boolean allowOutbound(ConsentStatus status, OutboundMessage message, MessagePurpose purpose) {
    if (purpose == MessagePurpose.CONSENT) {
      return true;
    }
    if (status.stoppedAll()) {
      return false;
    }
    return !(status.stoppedMarketing() && purpose == MessagePurpose.MARKETING);
  }

  @Override
  public Future<Commit> onChange(ConsentChange change) {
    String customerKey = change.customer().key();
    String key = change.scope() == ConsentChange.Scope.ALL ? allKey(customerKey) : marketingKey(customerKey);
    if (!change.optedOut()) {
      return Future.succeededFuture(Commit.none().delete(key));
    }
    JsonObject record = new JsonObject().put("at", change.at().toString()).put("source", change.source().name())
        .put("detail", change.detail());
    return Future.succeededFuture(Commit.none().put(key, record.encode(), null));
  }
}
