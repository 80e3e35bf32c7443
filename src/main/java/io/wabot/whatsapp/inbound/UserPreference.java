package io.wabot.whatsapp.inbound;

import io.wabot.customer.CustomerIdentity;
import java.time.Instant;

/**
 * Meta's {@code user_preferences} webhook: a customer stopped or resumed a category of messages
 * (today {@code marketing_messages}) from WhatsApp's own interface.
 *
 * @param customer who: their BSUID ({@code user_id}), parent BSUID and/or phone number ({@code wa_id}), each optional;
 *                 resolved to the conversation key before it is stored as a job
 * @param value    {@code stop} or {@code resume}
 */
public record UserPreference(CustomerIdentity customer, String category, String value, String detail, Instant timestamp) {

  public UserPreference withCustomer(CustomerIdentity resolved) {
    return new UserPreference(resolved, category, value, detail, timestamp);
  }

  public boolean stopped() {
    return "stop".equalsIgnoreCase(value);
  }
}
