package io.wabot.example.sales;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.Locale;
import java.util.Map;

/**
 * What an item costs, as a band: the catalog quotes a range (by configuration, colour, promotion) and
 * the sales person confirms the exact price.
 */
public record PriceBand(BigDecimal min, BigDecimal max, String currency) {

  private static final Map<String, String> SYMBOLS = Map.of("USD", "US$", "MXN", "MX$", "EUR", "€", "GBP", "£",
      "COP", "COL$", "ARS", "AR$", "CLP", "CLP$", "PEN", "S/", "BRL", "R$");

  /**
   * Per thread (a NumberFormat is not thread-safe), made once: {@code getNumberInstance} clones a format each call,
   * and a listing formats a price per item. Index 0 without decimals, 1 with up to two.
   */
  private static final ThreadLocal<NumberFormat[]> NUMBERS = ThreadLocal.withInitial(
      () -> new NumberFormat[] {number(0), number(2)});

  private static NumberFormat number(int maxFractionDigits) {
    NumberFormat number = NumberFormat.getNumberInstance(Locale.US);
    number.setMaximumFractionDigits(maxFractionDigits);
    number.setMinimumFractionDigits(0);
    return number;
  }

  /** The middle of the band, for "nearest price" comparisons. */
  public BigDecimal midpoint() {
    return min.add(max).divide(BigDecimal.valueOf(2));
  }

  /** {@code US$329–399}, or {@code US$49} when the band is one price. */
  public String format() {
    String symbol = SYMBOLS.getOrDefault(currency, currency + " ");
    NumberFormat number = NUMBERS.get()[min.scale() > 0 || max.scale() > 0 ? 1 : 0];
    if (min.compareTo(max) == 0) {
      return symbol + number.format(min);
    }
    return symbol + number.format(min) + "–" + number.format(max);
  }
}
