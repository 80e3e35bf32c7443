package io.wabot.common;


import java.util.ArrayList;
import java.util.List;

/**
 * The chain a locale falls back along ({@code es_MX → es → en}). Which locale a customer gets when
 * they have not chosen one is the bot's {@code LocaleTable}.
 */
public final class Locales {

  private Locales() {
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
