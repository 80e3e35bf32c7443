package com.example.echo;

import io.vertx.core.Future;
import io.wabot.conversation.consent.ConsentChange;
import io.wabot.conversation.consent.ConsentHook;
import io.wabot.conversation.consent.ConsentStatus;
import io.wabot.conversation.consent.MessagePurpose;
import io.wabot.customer.CustomerIdentity;
import io.wabot.queue.Commit;
import io.wabot.whatsapp.inbound.InboundMessage;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Consent kept in this process's memory, keyed on the conversation key: after STOP nothing but the confirmation. */
final class InMemoryConsent implements ConsentHook {

  final Map<String, ConsentStatus> byCustomer = new ConcurrentHashMap<>();

  @Override
  public Future<ConsentStatus> onInbound(InboundMessage message) {
    return status(message.customer());
  }

  @Override
  public Future<ConsentStatus> status(CustomerIdentity customer) {
    return Future.succeededFuture(byCustomer.getOrDefault(customer.key(), ConsentStatus.SUBSCRIBED));
  }

  @Override
  public boolean allowOutbound(ConsentStatus status, OutboundMessage message, MessagePurpose purpose) {
    return purpose == MessagePurpose.CONSENT || !status.stoppedAll();
  }

  @Override
  public Future<Commit> onChange(ConsentChange change) {
    if (change.scope() == ConsentChange.Scope.ALL) {
      // Idempotent: a message that runs twice sets the same status again.
      byCustomer.put(change.customer().key(), change.optedOut() ? new ConsentStatus(true, false, change.at()) : ConsentStatus.SUBSCRIBED);
    }
    return Future.succeededFuture(Commit.none());
  }
}
