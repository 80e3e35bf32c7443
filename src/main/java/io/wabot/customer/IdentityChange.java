package io.wabot.customer;

/**
 * WhatsApp told the bot that one customer's identifiers changed: a new BSUID ({@code user_changed_user_id}
 * system message, or the {@code user_id_update} webhook), or a new phone number
 * ({@code user_changed_number}, which also regenerates the BSUID). The new ids become aliases of the same
 * customer, so the conversation, consent and any hand-off carry on.
 *
 * @param previous the ids the customer had (at least one)
 * @param current  the ids they have now; a null phone after a number change means the new number is hidden
 */
public record IdentityChange(Kind kind, CustomerIdentity previous, CustomerIdentity current) {

  /** Which notification reported it; only a number change retires the old phone number. */
  public enum Kind {
    /** System message {@code user_changed_user_id}: the BSUID changed. */
    USER_ID_CHANGED,
    /** System message {@code user_changed_number}: the phone number changed (and with it the BSUID). */
    NUMBER_CHANGED,
    /** The {@code user_id_update} webhook field: {@code user_id: {previous, current}}. */
    USER_ID_UPDATE
  }

  public boolean numberChanged() {
    return kind == Kind.NUMBER_CHANGED;
  }

  /** A fixed snake_case name for metrics and log events. */
  public String kindName() {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
