package io.wabot.whatsapp.outbound;

import java.util.Collection;

/**
 * The Cloud API's limits, checked when a message is built so a flow author gets an exception naming
 * the text to shorten during development instead of a 400 from Meta in production.
 */
public final class Limits {

  public static final int TEXT_BODY = 4096;
  public static final int INTERACTIVE_BODY = 1024;
  public static final int HEADER_TEXT = 60;
  public static final int FOOTER = 60;
  public static final int MAX_BUTTONS = 3;
  public static final int BUTTON_TITLE = 20;
  public static final int BUTTON_ID = 256;
  public static final int LIST_BUTTON_LABEL = 20;
  public static final int MAX_LIST_ROWS = 10;
  public static final int MAX_LIST_SECTIONS = 10;
  public static final int SECTION_TITLE = 24;
  public static final int ROW_TITLE = 24;
  public static final int ROW_DESCRIPTION = 72;
  public static final int ROW_ID = 200;
  public static final int MEDIA_CAPTION = 1024;
  public static final int TEMPLATE_NAME = 512;

  private Limits() {
  }

  static String required(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new InvalidMessageException(what + " must not be empty");
    }
    return value;
  }

  static String maxLength(String value, int max, String what) {
    if (value != null && value.codePointCount(0, value.length()) > max) {
      throw new InvalidMessageException(what + " \"" + preview(value) + "\" is " + value.codePointCount(0, value.length())
          + " characters; WhatsApp allows at most " + max + ". Shorten it.");
    }
    return value;
  }

  static String requiredMax(String value, int max, String what) {
    return maxLength(required(value, what), max, what);
  }

  static <T> void count(Collection<T> items, int min, int max, String what) {
    if (items == null || items.size() < min || items.size() > max) {
      int n = items == null ? 0 : items.size();
      throw new InvalidMessageException(what + ": " + n + " given; WhatsApp allows " + min + " to " + max
          + (n > max ? ". Remove some, or paginate." : "."));
    }
  }

  static String recipient(String to) {
    required(to, "recipient (to)");
    if (!to.matches("\\+?\\d{5,20}")) {
      throw new InvalidMessageException("recipient \"" + to + "\" is not a WhatsApp id (digits with country code)");
    }
    return to;
  }

  private static String preview(String value) {
    // Cut on a code point boundary: half an emoji in an error message is a broken character.
    return value.codePointCount(0, value.length()) <= 40 ? value : value.substring(0, value.offsetByCodePoints(0, 37)) + "...";
  }
}
