package io.wabot.observability;

/** Masks personal data before it reaches a log line. */
public final class Mask {

  private Mask() {
  }

  /**
   * A phone number (a WhatsApp id) reduced to its last four digits, e.g. {@code 16505551234} →
   * {@code ****1234}: enough for a person to tell two customers apart in a log, not enough to call them.
   */
  public static String phone(String number) {
    if (number == null || number.isEmpty()) {
      return "";
    }
    String digits = number.replaceAll("\\D", "");
    if (digits.length() <= 4) {
      return "****";
    }
    return "****" + digits.substring(digits.length() - 4);
  }
}
