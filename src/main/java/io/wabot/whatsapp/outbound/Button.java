package io.wabot.whatsapp.outbound;

/** A reply button: the customer taps it and the bot receives {@code id}. */
public record Button(String id, String title) {

  public Button {
    Limits.requiredMax(id, Limits.BUTTON_ID, "button id");
    Limits.requiredMax(title, Limits.BUTTON_TITLE, "button title");
  }
}
