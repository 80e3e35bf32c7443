package io.wabot.whatsapp.inbound;

/** The body is not a WhatsApp Business Account webhook; the webhook answers 400. */
public final class InvalidPayloadException extends RuntimeException {

  public InvalidPayloadException(String message) {
    super(message);
  }
}
