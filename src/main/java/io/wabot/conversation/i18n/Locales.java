package io.wabot.conversation.i18n;

import io.wabot.customer.CustomerIdentity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which locale a customer gets when they have not chosen one, and the chain a locale falls back
 * along ({@code es_MX → es → en}).
 */
public final class Locales {

  /** A country whose customers most likely read a locale other than the default, with its calling codes. */
  private record Country(String iso, String locale, String... callingCodes) {
  }

  /**
   * Countries whose customers most likely read Spanish or regional Spanish: one table for both ways of
   * knowing the country, a phone number's calling code and a BSUID's ISO prefix. NANP numbers (+1)
   * default to English except Puerto Rico and the Dominican Republic.
   */
  private static final List<Country> COUNTRIES = List.of(
      new Country("MX", "es_MX", "52"),
      new Country("ES", "es", "34"),
      new Country("AR", "es", "54"), new Country("CO", "es", "57"), new Country("CL", "es", "56"),
      new Country("PE", "es", "51"), new Country("VE", "es", "58"), new Country("EC", "es", "593"),
      new Country("BO", "es", "591"), new Country("PY", "es", "595"), new Country("UY", "es", "598"),
      new Country("GT", "es", "502"), new Country("SV", "es", "503"), new Country("HN", "es", "504"),
      new Country("NI", "es", "505"), new Country("CR", "es", "506"), new Country("PA", "es", "507"),
      new Country("CU", "es", "53"), new Country("GQ", "es", "240"),
      new Country("PR", "es", "1787", "1939"),
      new Country("DO", "es", "1809", "1829", "1849"));

  private static final Map<String, String> BY_CALLING_CODE = new HashMap<>();
  private static final Map<String, String> BY_COUNTRY = new HashMap<>();

  static {
    for (Country country : COUNTRIES) {
      BY_COUNTRY.put(country.iso(), country.locale());
      for (String code : country.callingCodes()) {
        BY_CALLING_CODE.put(code, country.locale());
      }
    }
  }

  private Locales() {
  }

  /**
   * The locale for a customer who has not chosen one: by their phone number's calling code when it is
   * known, else by their BSUID's country prefix ({@code MX.…} → {@code es_MX}), else {@code fallback}.
   * A BSUID never goes through the calling-code rules (its digits are not a phone number).
   */
  public static String forCustomer(CustomerIdentity customer, String fallback) {
    if (customer == null) {
      return fallback;
    }
    if (customer.phone() != null) {
      return fromNumber(customer.phone(), fallback);
    }
    return fromCountry(customer.bsuidCountry(), fallback);
  }

  /** The locale for an ISO 3166 country code (e.g. {@code MX}), or {@code fallback}. */
  public static String fromCountry(String iso, String fallback) {
    return iso == null ? fallback : BY_COUNTRY.getOrDefault(iso.toUpperCase(Locale.ROOT), fallback);
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
