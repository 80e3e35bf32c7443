package io.wabot.conversation.consent;

import java.time.Instant;

/**
 * What a customer has said about receiving messages.
 *
 * @param stoppedAll       they sent STOP (or an equivalent): nothing but the confirmation until START
 * @param stoppedMarketing they stopped marketing messages in WhatsApp (or error 131050 said so)
 * @param since            when the most recent of those happened, or null
 */
public record ConsentStatus(boolean stoppedAll, boolean stoppedMarketing, Instant since) {

  /** Nobody said stop. */
  public static final ConsentStatus SUBSCRIBED = new ConsentStatus(false, false, null);
}
