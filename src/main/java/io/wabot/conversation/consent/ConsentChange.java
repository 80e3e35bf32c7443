package io.wabot.conversation.consent;

import io.wabot.customer.CustomerIdentity;
import java.time.Instant;

/**
 * A customer opted out or back in.
 *
 * @param customer the customer; key your records on {@code customer.key()}, the stable conversation key
 *                 (the phone number may be hidden, and the BSUID changes with the number)
 * @param optedOut true for a stop, false for a start / resume
 * @param scope    everything (a STOP keyword) or marketing only (WhatsApp's own controls, error 131050)
 * @param source   where it came from
 * @param detail   the keyword typed, the error text, or Meta's detail; never shown to customers
 * @param at       when it happened
 */
public record ConsentChange(CustomerIdentity customer, boolean optedOut, Scope scope, Source source, String detail, Instant at) {

  /** What the change covers. */
  public enum Scope { ALL, MARKETING }

  /** Where a change came from. */
  public enum Source {
    /** The customer typed a STOP or START word. */
    KEYWORD,
    /** The Graph API refused a message with error 131050 (the customer stopped marketing messages). */
    API_ERROR,
    /** Meta's {@code user_preferences} webhook. */
    USER_PREFERENCE
  }
}
