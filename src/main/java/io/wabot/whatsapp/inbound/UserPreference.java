package io.wabot.whatsapp.inbound;

import java.time.Instant;

/**
 * Meta's {@code user_preferences} webhook: a customer stopped or resumed a category of messages
 * (today {@code marketing_messages}) from WhatsApp's own interface.
 *
 * @param value {@code stop} or {@code resume}
 */
public record UserPreference(String waId, String category, String value, String detail, Instant timestamp) {

  public boolean stopped() {
    return "stop".equalsIgnoreCase(value);
  }
}
