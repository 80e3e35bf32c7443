package io.wabot.common;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The formats of the identifiers WhatsApp gives a customer, checked before any of them becomes an
 * alias, an address or a locale: a phone number (the {@code wa_id}: digits with the country code),
 * a business-scoped user id ({@code US.13491208655302741918}) and a parent one
 * ({@code US.ENT.11815799212886844830}). A BSUID never goes through phone rules and a phone number never
 * through BSUID rules.
 */
public final class CustomerIds {

  private static final Pattern PHONE = Pattern.compile("\\+?\\d{5,20}");
  private static final Pattern BSUID = Pattern.compile("[A-Z]{2}\\.[A-Za-z0-9]{1,128}");
  private static final Pattern PARENT_BSUID = Pattern.compile("[A-Z]{2}\\.ENT\\.[A-Za-z0-9]{1,128}");
  /** Usernames are display only; this keeps an absurd one out of state, logs and the team's messages. */
  static final int MAX_USERNAME = 64;

  private CustomerIds() {
  }

  /** Whether this is a WhatsApp phone number: 5 to 20 digits with the country code, optionally after a {@code +}. */
  public static boolean isPhone(String value) {
    return value != null && PHONE.matcher(value).matches();
  }

  /** The phone number as Meta writes it ({@code 16505551234}), or null when it is not one. */
  public static String phone(String value) {
    return isPhone(value) ? (value.startsWith("+") ? value.substring(1) : value) : null;
  }

  public static boolean isBsuid(String value) {
    return value != null && BSUID.matcher(value).matches();
  }

  public static boolean isParentBsuid(String value) {
    return value != null && PARENT_BSUID.matcher(value).matches();
  }

  /** Either kind of business-scoped user id: what goes in a message's {@code recipient}. */
  public static boolean isAnyBsuid(String value) {
    return isBsuid(value) || isParentBsuid(value);
  }

  /** The ISO 3166 country a (parent) BSUID starts with, e.g. {@code US}; null for anything else. */
  public static String country(String bsuid) {
    return isAnyBsuid(bsuid) ? bsuid.substring(0, 2).toUpperCase(Locale.ROOT) : null;
  }

  /** A username fit to display: trimmed, at most {@value #MAX_USERNAME} characters; null when blank or too long. */
  public static String username(String value) {
    if (value == null) {
      return null;
    }
    String trimmed = value.strip();
    return trimmed.isEmpty() || trimmed.codePointCount(0, trimmed.length()) > MAX_USERNAME ? null : trimmed;
  }
}
