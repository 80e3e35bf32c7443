package io.wabot.conversation.i18n;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which locale a customer gets when they have not chosen one, and the chain a locale falls back
 * along ({@code es_MX → es → en}).
 */
public final class Locales {

  /**
   * Calling codes whose customers most likely read Spanish or regional Spanish. NANP numbers (+1)
   * default to English except Puerto Rico and the Dominican Republic.
   */
  private static final Map<String, String> BY_CALLING_CODE = Map.ofEntries(
      Map.entry("52", "es_MX"),
      Map.entry("34", "es"),
      Map.entry("54", "es"), Map.entry("57", "es"), Map.entry("56", "es"), Map.entry("51", "es"),
      Map.entry("58", "es"), Map.entry("593", "es"), Map.entry("591", "es"), Map.entry("595", "es"),
      Map.entry("598", "es"), Map.entry("502", "es"), Map.entry("503", "es"), Map.entry("504", "es"),
      Map.entry("505", "es"), Map.entry("506", "es"), Map.entry("507", "es"), Map.entry("53", "es"),
      Map.entry("240", "es"),
      Map.entry("1787", "es"), Map.entry("1939", "es"),
      Map.entry("1809", "es"), Map.entry("1829", "es"), Map.entry("1849", "es"));

  private Locales() {
  }

  /** The locale for a WhatsApp id by its calling code (longest match), or {@code fallback}. */
  public static String fromNumber(String waId, String fallback) {
    if (waId == null) {
      return fallback;
    }
    String digits = waId.replaceAll("\\D", "");
    for (int length = 4; length >= 1; length--) {
      if (digits.length() > length) {
        String locale = BY_CALLING_CODE.get(digits.substring(0, length));
        if (locale != null) {
          return locale;
        }
      }
    }
    return fallback;
  }

  /** {@code es_MX} → {@code [es_MX, es, <default>]}, without repeats. */
  public static List<String> chain(String locale, String defaultLocale) {
    List<String> chain = new ArrayList<>();
    if (locale != null && !locale.isBlank()) {
      chain.add(locale);
      int underscore = locale.indexOf('_');
      if (underscore > 0) {
        chain.add(locale.substring(0, underscore));
      }
    }
    if (!chain.contains(defaultLocale)) {
      chain.add(defaultLocale);
    }
    return chain;
  }

  /** The language part: {@code es_MX} → {@code es}. */
  public static String language(String locale) {
    int underscore = locale.indexOf('_');
    return underscore > 0 ? locale.substring(0, underscore) : locale;
  }
}
