package io.wabot.example.sales;

import io.wabot.common.Locales;
import java.util.Collection;
import java.util.Map;

/** A catalog text in several locales, read along the customer's locale chain ({@code es_MX → es → en}). */
public record LocalizedText(Map<String, String> byLocale) {

  public LocalizedText {
    byLocale = Map.copyOf(byLocale);
  }

  public static LocalizedText of(String text) {
    return new LocalizedText(Map.of("en", text));
  }

  /** The text for {@code locale}, else its language, else {@code fallbackLocale}, else any. */
  public String in(String locale, String fallbackLocale) {
    for (String candidate : Locales.chain(locale, fallbackLocale)) {
      String text = byLocale.get(candidate);
      if (text != null) {
        return text;
      }
    }
    return byLocale.values().stream().findFirst().orElse("");
  }

  public Collection<String> all() {
    return byLocale.values();
  }
}
