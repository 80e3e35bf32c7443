package io.wabot.whatsapp.inbound;

import io.wabot.customer.CustomerIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Meta's report on a message the bot sent. Reports arrive out of order and {@code delivered} may be
 * skipped, so a stored status only ever moves forward: sent &lt; delivered &lt; read; failed is final.
 * A status is correlated by its message id, never by its recipient: the recipient may be a phone number
 * ({@code recipient_id}), a BSUID ({@code recipient_user_id}), a parent BSUID, any of them, or none.
 *
 * @param recipient    who the message went to, as the status names them (never null, possibly empty)
 * @param callbackData Meta's echo of the send's {@code biz_opaque_callback_data}: the id of the outbound
 *                     job that sent the message, which settles a send whose result was never recorded
 * @param pricing      how Meta prices the message ({@code pricing}, with the {@code conversation} id when it
 *                     gives one), or null when the status carries none (failed, read...)
 */
public record StatusUpdate(String wamid, Status status, Instant timestamp, CustomerIdentity recipient,
    List<WebhookError> errors, String callbackData, Pricing pricing) {

  public StatusUpdate(String wamid, Status status, Instant timestamp, CustomerIdentity recipient, List<WebhookError> errors) {
    this(wamid, status, timestamp, recipient, errors, null, null);
  }

  public StatusUpdate(String wamid, Status status, Instant timestamp, CustomerIdentity recipient, List<WebhookError> errors,
      String callbackData) {
    this(wamid, status, timestamp, recipient, errors, callbackData, null);
  }

  /**
   * Meta's {@code pricing} object of a status.
   *
   * @param category       {@code marketing}, {@code utility}, {@code authentication}, {@code service},
   *                       {@code referral_conversion}... (lower case; a metric label, so anything else is
   *                       counted as {@code other})
   * @param billable       whether Meta charges for the message
   * @param pricingModel   {@code PMP} (per message) or {@code CBP} (per conversation, before July 2025)
   * @param type           {@code regular}, {@code free_customer_service}, {@code free_entry_point}, or null
   * @param conversationId the {@code conversation.id} the message belongs to, or null
   */
  public record Pricing(String category, boolean billable, String pricingModel, String type, String conversationId) {

    public static final Set<String> CATEGORIES = Set.of("marketing", "utility", "authentication",
        "authentication_international", "service", "referral_conversion", "marketing_lite");

    public Pricing {
      String lower = category == null ? "" : category.trim().toLowerCase(Locale.ROOT);
      category = CATEGORIES.contains(lower) ? lower : "other";
    }
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
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public StatusUpdate {
    recipient = recipient == null ? CustomerIdentity.of(null, null, null, null) : recipient;
    errors = errors == null ? List.of() : List.copyOf(errors);
  }
}
