package io.wabot.conversation.consent;

import io.vertx.core.Future;
import io.wabot.customer.CustomerIdentity;
import io.wabot.queue.Commit;
import io.wabot.whatsapp.inbound.InboundMessage;
import io.wabot.whatsapp.outbound.OutboundMessage;

/**
 * Where consent is recorded and enforced (FR-008). The engine calls it on every inbound message,
 * before every outbound one, on STOP/START words, and for the marketing opt-outs and opt-ins Meta
 * reports (error 131050, the {@code user_preferences} webhook), which reach it as inbound jobs in the
 * customer's own order, its effects committed atomically with the job. The default, {@link RedisConsentHook},
 * keeps opt-outs in Redis and lets an opted-out customer receive nothing but the STOP confirmation
 * until they send START.
 *
 * <p>To keep consent in your own system (a CRM, a preference centre), implement this interface and
 * return it from your bot's {@code Bot.consent}. Your policy decides in
 * {@link #allowOutbound}; your storage decides in {@link #status} and {@link #onChange}. Key what you
 * store on the customer's conversation key ({@link CustomerIdentity#key()}): the phone number may be
 * hidden behind a username, and the BSUID changes when the customer changes number; the key stays.
 */
public interface ConsentHook {

  /**
   * Called for every inbound message before anything else; returns the customer's consent as you know it.
   * {@code message.customer()} is the sender, resolved to their conversation key. A failed future makes
   * the message run again later.
   */
  Future<ConsentStatus> onInbound(InboundMessage message);

  /** The customer's consent outside an inbound message, e.g. before a notice the bot sends on its own. */
  Future<ConsentStatus> status(CustomerIdentity customer);

  /**
   * Called before each outbound message (replies, notices; not messages to your own agent); false drops
   * it, with a log line. Must not block: it runs on the event loop.
   */
  boolean allowOutbound(ConsentStatus status, OutboundMessage message, MessagePurpose purpose);

  /**
   * Records a change. Return the Redis effects that store it: for a STOP typed by the customer they
   * are committed atomically with the reply confirming it; for changes reported on the event bus they
   * are applied directly. Return {@link Commit#none()} if you store consent elsewhere, and make that
   * call idempotent: a message can run twice.
   */
  Future<Commit> onChange(ConsentChange change);
}
