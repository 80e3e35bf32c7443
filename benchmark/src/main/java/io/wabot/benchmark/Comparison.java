package io.wabot.benchmark;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of two builds measured side by side: each figure's runs for both, their medians, and the
 * ratio of the current build's median to REF's. On a noisy machine a single run says little, so the
 * runs are repeated with their order alternating ({@link #order}) and a difference is called better
 * or worse only when the two sides' ranges do not overlap.
 */
final class Comparison {

  /** One figure of one run; {@code higherIsBetter} for throughput, false for latency, CPU, memory. */
  record Figure(String name, double value, boolean higherIsBetter) {
  }

  enum Side { REF, CURRENT }

  /** One figure across the runs of both sides. */
  record Row(String name, boolean higherIsBetter, List<Double> ref, List<Double> current) {

    double refMedian() {
      return median(ref);
    }

    double currentMedian() {
      return median(current);
    }

    /** Current over REF, of the medians: 1 when both are 0, infinite when only REF's is, NaN when a side has no value. */
    double ratio() {
      double r = refMedian();
      double c = currentMedian();
      if (r == 0) {
        return c == 0 ? 1 : Double.POSITIVE_INFINITY;
      }
      return c / r;
    }

    /**
     * "same", "better", "worse", or "within noise" when the ranges of the two sides overlap; with a
     * single run on a side, "better?" or "worse?": one run cannot tell a change from the machine's noise.
     */
    String verdict() {
      double r = refMedian();
      double c = currentMedian();
      if (Double.isNaN(r) || Double.isNaN(c)) {
        return "";
      }
      if (r == c) {
        return "same";
      }
      if (overlap()) {
        return "within noise";
      }
      String direction = (c > r) == higherIsBetter ? "better" : "worse";
      return known(ref).size() < 2 || known(current).size() < 2 ? direction + "?" : direction;
    }

    private boolean overlap() {
      List<Double> a = known(ref);
      List<Double> b = known(current);
      return Math.max(Collections.min(a), Collections.min(b)) <= Math.min(Collections.max(a), Collections.max(b));
    }

    JsonObject toJson() {
      return new JsonObject().put("figure", name).put("higher_is_better", higherIsBetter).put("ref", values(ref))
          .put("current", values(current)).put("ref_median", finite(refMedian())).put("current_median", finite(currentMedian()))
          .put("ratio", finite(ratio())).put("verdict", verdict());
    }
  }

  private final Map<String, Row> rows = new LinkedHashMap<>();

  /** Each repeat is a pair of runs, REF first in the odd pairs and the current build first in the even ones. */
  static List<Side> order(int repeat) {
    List<Side> order = new ArrayList<>();
    for (int i = 0; i < repeat; i++) {
      order.addAll(i % 2 == 0 ? List.of(Side.REF, Side.CURRENT) : List.of(Side.CURRENT, Side.REF));
    }
    return order;
  }

  void add(Side side, List<Figure> figures) {
    for (Figure f : figures) {
      Row row = rows.computeIfAbsent(f.name(), name -> new Row(name, f.higherIsBetter(), new ArrayList<>(), new ArrayList<>()));
      (side == Side.REF ? row.ref() : row.current()).add(f.value());
    }
  }

  List<Row> rows() {
    return List.copyOf(rows.values());
  }

  /** The comparison as a Markdown table: medians with the range of the runs, the ratio and the verdict. */
  List<String> markdown(String refLabel, String currentLabel) {
    List<String> lines = new ArrayList<>();
    lines.add("| figure | " + refLabel + " | " + currentLabel + " | current / REF | |");
    lines.add("|---|---|---|---|---|");
    for (Row row : rows.values()) {
      lines.add("| " + row.name() + " | " + spread(row.ref()) + " | " + spread(row.current()) + " | " + ratio(row.ratio()) + " | "
          + row.verdict() + " |");
    }
    return lines;
  }

  JsonArray toJson() {
    return new JsonArray(rows.values().stream().map(Row::toJson).toList());
  }

  /** The median of the known values (NaN is a figure a run could not give); NaN when there is none. */
  static double median(List<Double> values) {
    List<Double> sorted = known(values);
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static List<Double> known(List<Double> values) {
    return new ArrayList<>(values.stream().filter(v -> !Double.isNaN(v)).toList());
  }

  /**
   * "45.1" for one run, "45.1 (44.9 to 45.3)" for several: the median and the range. Figures that are
   * whole numbers in every run (steps lost, say) are shown without decimals.
   */
  static String spread(List<Double> values) {
    List<Double> known = known(values);
    if (known.isEmpty()) {
      return "-";
    }
    boolean whole = known.stream().allMatch(v -> v == Math.rint(v));
    String median = number(median(known), whole);
    return known.size() == 1 ? median
        : median + " (" + number(Collections.min(known), whole) + " to " + number(Collections.max(known), whole) + ")";
  }

  static String ratio(double ratio) {
    if (Double.isNaN(ratio)) {
      return "-";
    }
    return Double.isInfinite(ratio) ? "∞" : String.format(Locale.ROOT, "%.2f", ratio);
  }

  /** Three significant digits or so: 1,234; 45.1; 3.62; 0.41; or a whole number as it is. */
  static String number(double value, boolean whole) {
    double abs = Math.abs(value);
    return String.format(Locale.ROOT, abs >= 100 || whole && value == Math.rint(value) ? "%,.0f" : abs >= 10 ? "%.1f" : "%.2f", value);
  }

  private static JsonArray values(List<Double> values) {
    return new JsonArray(values.stream().map(Comparison::finite).toList());
  }

  private static Object finite(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
