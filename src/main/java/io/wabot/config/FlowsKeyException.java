package io.wabot.config;

/**
 * A Flows private key that cannot be used; {@link #getMessage()} completes "WHATSAPP_FLOWS_PRIVATE_KEY …"
 * and never quotes the key.
 */
public final class FlowsKeyException extends Exception {

  /** What is wrong, so the operator is pointed at the key or at its passphrase. */
  public enum Kind {
    UNREADABLE, NOT_A_KEY, PUBLIC_KEY, NEEDS_PASSPHRASE, WRONG_PASSPHRASE, NOT_RSA, TOO_SMALL;

    /** Whether the passphrase, rather than the key, is what to fix. */
    public boolean aboutPassphrase() {
      return this == WRONG_PASSPHRASE;
    }
  }

  private final Kind kind;

  public FlowsKeyException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
