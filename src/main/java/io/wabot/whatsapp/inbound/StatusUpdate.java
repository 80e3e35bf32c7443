package io.wabot.whatsapp.inbound;

import io.wabot.customer.CustomerIdentity;
import java.time.Instant;
import java.util.List;

/**
 * Meta's report on a message the bot sent. Reports arrive out of order and {@code delivered} may be
 * skipped, so a stored status only ever moves forward: sent &lt; delivered &lt; read; failed is final.
 * A status is correlated by its message id, never by its recipient: the recipient may be a phone number
 * ({@code recipient_id}), a BSUID ({@code recipient_user_id}), a parent BSUID, any of them, or none.
 *
 * @param recipient    who the message went to, as the status names them (never null, possibly empty)
 * @param callbackData Meta's echo of the send's {@code biz_opaque_callback_data}: the id of the outbound
 *                     job that sent the message, which settles a send whose result was never recorded
 */
public record StatusUpdate(String wamid, Status status, Instant timestamp, CustomerIdentity recipient,
    List<WebhookError> errors, String callbackData) {

  public StatusUpdate(String wamid, Status status, Instant timestamp, CustomerIdentity recipient, List<WebhookError> errors) {
    this(wamid, status, timestamp, recipient, errors, null);
  }

  public enum Status {
    SENT(1), DELIVERED(2), READ(3), FAILED(4);

    private final int rank;

    Status(int rank) {
      this.rank = rank;
    }

    /** Order in which statuses may replace each other; failed outranks everything and is final. */
    public int rank() {
      return rank;
    }

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public StatusUpdate {
    recipient = recipient == null ? CustomerIdentity.of(null, null, null, null) : recipient;
    errors = errors == null ? List.of() : List.copyOf(errors);
  }
}
