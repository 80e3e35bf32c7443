package io.wabot.whatsapp.outbound;

import io.wabot.common.CustomerIds;
import io.wabot.common.Mask;
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

  public static String required(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new InvalidMessageException(what + " must not be empty");
    }
    return value;
  }

  public static String maxLength(String value, int max, String what) {
    if (value != null && value.codePointCount(0, value.length()) > max) {
      // The value itself is left out: it may hold a customer's words, and this message reaches logs.
      throw new InvalidMessageException(what + " is " + value.codePointCount(0, value.length())
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

  /**
   * A customer's address: a phone number (goes in {@code to}) or a business-scoped user id (goes in
   * {@code recipient}). Anything else would be refused by Meta, or worse, accepted and never delivered.
   */
  public static String recipient(String to) {
    required(to, "recipient address");
    if (!CustomerIds.isPhone(to) && !CustomerIds.isAnyBsuid(to)) {
      throw new InvalidMessageException("recipient " + Mask.address(to) + " is neither a phone number (digits with the"
          + " country code, e.g. 5215512345678) nor a business-scoped user id (e.g. US.13491208655302741918)");
    }
    return to;
  }
}
