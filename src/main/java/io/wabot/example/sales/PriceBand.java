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

  /** The middle of the band, for "nearest price" comparisons. */
  public BigDecimal midpoint() {
    return min.add(max).divide(BigDecimal.valueOf(2));
  }

  /** {@code US$329–399}, or {@code US$49} when the band is one price. */
  public String format() {
    String symbol = SYMBOLS.getOrDefault(currency, currency + " ");
    NumberFormat number = NumberFormat.getNumberInstance(Locale.US);
    number.setMaximumFractionDigits(min.scale() > 0 || max.scale() > 0 ? 2 : 0);
    number.setMinimumFractionDigits(0);
    if (min.compareTo(max) == 0) {
      return symbol + number.format(min);
    }
    return symbol + number.format(min) + "–" + number.format(max);
  }
}
