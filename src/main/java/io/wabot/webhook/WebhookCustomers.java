package io.wabot.webhook;

import io.vertx.core.Future;
import io.wabot.customer.CustomerDirectory;
import io.wabot.customer.CustomerIdentity;
import io.wabot.whatsapp.inbound.InboundMessage;
import io.wabot.whatsapp.inbound.StatusUpdate;
import io.wabot.whatsapp.inbound.UserPreference;
import io.wabot.whatsapp.inbound.WebhookPayload;
import java.util.ArrayList;
import java.util.List;

/**
 * Who each part of one webhook POST is about, resolved through the alias map in one round trip before
 * anything is queued: the conversation key decides which customer's FIFO a message joins. Identity
 * changes ({@code user_id_update}) come first, so a message from a customer's new BSUID in the same
 * POST already finds them; then the messages in order (a {@code user_changed_*} system message applies
 * its change), then marketing preferences, then the recipients of statuses that name only a BSUID
 * (looked up, never created: a status is stored by its message id whoever it names).
 */
final class WebhookCustomers {

  private final List<WebhookPayload.Received> messages;
  private final List<CustomerIdentity> senders;
  private final List<UserPreference> preferences;
  private final List<StatusUpdate> unknownRecipients;

  private WebhookCustomers(List<WebhookPayload.Received> messages, List<CustomerIdentity> senders,
      List<UserPreference> preferences, List<StatusUpdate> unknownRecipients) {
    this.messages = messages;
    this.senders = senders;
    this.preferences = preferences;
    this.unknownRecipients = unknownRecipients;
  }

  static Future<WebhookCustomers> resolve(CustomerDirectory directory, WebhookPayload payload,
      List<WebhookPayload.Received> messages) {
    List<CustomerDirectory.Query> queries = new ArrayList<>();
    payload.identityUpdates().forEach(change -> queries.add(CustomerDirectory.change(change)));
    for (WebhookPayload.Received received : messages) {
      queries.add(received.message() instanceof InboundMessage.IdentityChanged changed
          ? CustomerDirectory.change(changed.change()) : CustomerDirectory.sender(received.message().customer()));
    }
    payload.preferences().forEach(preference -> queries.add(CustomerDirectory.sender(preference.customer())));
    List<StatusUpdate> bsuidOnly = payload.statuses().stream()
        .filter(s -> s.recipient().phone() == null && !s.recipient().isEmpty()).toList();
    bsuidOnly.forEach(status -> queries.add(CustomerDirectory.lookup(status.recipient())));
    return directory.resolve(queries).map(results -> {
      int at = payload.identityUpdates().size();
      List<CustomerIdentity> senders = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        senders.add(results.get(at++).customer());
      }
      List<UserPreference> preferences = new ArrayList<>();
      for (UserPreference preference : payload.preferences()) {
        preferences.add(preference.withCustomer(results.get(at++).customer()));
      }
      List<StatusUpdate> unknown = new ArrayList<>();
      for (StatusUpdate status : bsuidOnly) {
        if (results.get(at++).customer() == null) {
          unknown.add(status);
        }
      }
      return new WebhookCustomers(messages, senders, preferences, unknown);
    });
  }

  /** The resolved sender of the i-th message. */
  CustomerIdentity sender(int i) {
    return senders.get(i);
  }

  List<UserPreference> preferences() {
    return preferences;
  }

  /** Statuses naming only a BSUID nobody in the alias map has: about a message this bot did not send to a customer it knows. */
  List<StatusUpdate> unknownRecipients() {
    return unknownRecipients;
  }
}
