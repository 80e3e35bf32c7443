package io.wabot.common;


/** Masks personal data before it reaches a log line: phone numbers, business-scoped user ids, usernames. */
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
    // The last four digits, found from the end (this runs for every log line that names a customer).
    char[] last = new char[4];
    int found = 0;
    for (int i = number.length() - 1; i >= 0 && found < 5; i--) {
      char c = number.charAt(i);
      if (c >= '0' && c <= '9') {
        if (found < 4) {
          last[3 - found] = c;
        }
        found++;
      }
    }
    return found <= 4 ? "****" : "****" + new String(last);
  }

  /**
   * A business-scoped user id reduced to its country and last four characters, e.g.
   * {@code US.13491208655302741918} → {@code US.****1918} (a parent one keeps its {@code ENT}).
   */
  public static String bsuid(String id) {
    if (id == null || id.isEmpty()) {
      return "";
    }
    int lastDot = id.lastIndexOf('.');
    String prefix = lastDot > 0 && lastDot <= 6 ? id.substring(0, lastDot + 1) : "";
    String rest = id.substring(prefix.length());
    return prefix + "****" + (rest.length() > 8 ? rest.substring(rest.length() - 4) : "");
  }

  /** A username reduced to its first character, e.g. {@code @sheena} → {@code @s****}. */
  public static String username(String name) {
    if (name == null || name.isEmpty()) {
      return "";
    }
    String bare = name.startsWith("@") ? name.substring(1) : name;
    return "@" + (bare.isEmpty() ? "" : bare.substring(0, bare.offsetByCodePoints(0, 1))) + "****";
  }

  /** Whatever identifies a customer, masked by its kind: a BSUID as {@link #bsuid}, anything else as {@link #phone}. */
  public static String address(String id) {
    return CustomerIds.isAnyBsuid(id) ? bsuid(id) : phone(id);
  }
}
