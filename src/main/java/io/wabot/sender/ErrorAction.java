package io.wabot.sender;

/**
 * What the sender does about a failed Graph API request. {@link GraphErrorClassifier} maps each error
 * to one of these; the "Resilience" section of docs/architecture.md lists the codes behind each.
 */
public enum ErrorAction {

  /** Meta's throughput limit (130429, HTTP 429): pause all sending, honouring {@code Retry-After}. */
  PAUSE_ALL,
  /** Too many messages to one customer (131056): hold back only this conversation for a while. */
  DELAY_CONVERSATION,
  /** Transient (5xx, 131000, 1, 2, timeouts, connection errors): retry with exponential back-off. */
  RETRY,
  /** App, account, spam or marketing limits (4, 80007, 131048, 131049): retry after a long back-off. */
  LONG_BACKOFF,
  /** Outside the 24-hour window (131047): never retry the free-form message; send an approved template. */
  TEMPLATE_FALLBACK,
  /** The template does not exist in this language (132001): try the next language, else give up. */
  LANGUAGE_FALLBACK,
  /** Token expired or invalid (190, HTTP 401): give up and alert; the token must be rotated. */
  AUTH_FAILURE,
  /** The customer stopped marketing messages (131050): give up and tell the consent hook. */
  OPTED_OUT,
  /**
   * This message cannot go to a business-scoped user id (131062: one-tap, zero-tap and copy-code
   * authentication templates need a phone number): give up on this message and alert, never retry.
   */
  NEEDS_PHONE_NUMBER,
  /** Permanent (131026 undeliverable, other 4xx): dead-letter with the reason. */
  GIVE_UP
}
