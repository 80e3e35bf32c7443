package io.wabot.whatsapp.outbound;

/** A message that breaks a Cloud API limit; the text says what to change. */
public final class InvalidMessageException extends IllegalArgumentException {

  public InvalidMessageException(String message) {
    super(message);
  }
}
