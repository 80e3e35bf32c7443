package io.wabot.conversation.i18n;

import io.wabot.customer.CustomerIdentity;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which locale a customer gets when they have not chosen one, by where they are: a phone number's
 * calling code, or a BSUID's ISO country prefix. A bot declares its own table (see
 * {@code Bot.locales()}); customers of countries it does not list get the default locale.
 */
public final class LocaleTable {

  /** No country gets anything but the default locale. */
  public static final LocaleTable NONE = builder().build();

  private final Map<String, String> byCallingCode;
  private final Map<String, String> byCountry;

  private LocaleTable(Map<String, String> byCallingCode, Map<String, String> byCountry) {
    this.byCallingCode = Map.copyOf(byCallingCode);
    this.byCountry = Map.copyOf(byCountry);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The locale for a customer who has not chosen one: by their phone number's calling code when it is
   * known, else by their BSUID's country prefix ({@code MX.…} → {@code es_MX}), else {@code fallback}.
   * A BSUID never goes through the calling-code rules (its digits are not a phone number).
   */
  public String forCustomer(CustomerIdentity customer, String fallback) {
    if (customer == null) {
      return fallback;
    }
    if (customer.phone() != null) {
      return fromNumber(customer.phone(), fallback);
    }
    return fromCountry(customer.bsuidCountry(), fallback);
  }

  /** The locale for an ISO 3166 country code (e.g. {@code MX}), or {@code fallback}. */
  public String fromCountry(String iso, String fallback) {
    return iso == null ? fallback : byCountry.getOrDefault(iso.toUpperCase(Locale.ROOT), fallback);
  }

  /** The locale for a WhatsApp id by its calling code (longest match, up to 4 digits), or {@code fallback}. */
  public String fromNumber(String waId, String fallback) {
    if (waId == null) {
      return fallback;
    }
    String digits = waId.replaceAll("\\D", "");
    for (int length = 4; length >= 1; length--) {
      if (digits.length() > length) {
        String locale = byCallingCode.get(digits.substring(0, length));
        if (locale != null) {
          return locale;
        }
      }
    }
    return fallback;
  }

  /** Collects countries; one table serves both ways of knowing the country. */
  public static final class Builder {
    private final Map<String, String> byCallingCode = new HashMap<>();
    private final Map<String, String> byCountry = new HashMap<>();

    private Builder() {
    }

    /**
     * Customers of country {@code iso} (ISO 3166, e.g. {@code MX}) most likely read {@code locale}.
     * {@code callingCodes}: the country's codes, longer ones for shared plans (Puerto Rico is {@code 1787}
     * and {@code 1939} within NANP's {@code 1}).
     */
    public Builder country(String iso, String locale, String... callingCodes) {
      byCountry.put(iso.toUpperCase(Locale.ROOT), locale);
      for (String code : callingCodes) {
        byCallingCode.put(code, locale);
      }
      return this;
    }

    public LocaleTable build() {
      return new LocaleTable(byCallingCode, byCountry);
    }
  }
}
