package io.wabot.benchmark;

import java.util.List;
import java.util.Locale;

/**
 * Small self-contained SVG charts (no script, no web font, nothing fetched), so a report opens anywhere
 * and docs/performance.md can show one as a picture.
 */
public final class Svg {

  private static final String[] COLORS = {"#128c7e", "#e07a1f", "#c0392b", "#34495e", "#8e44ad"};
  private static final int W = 720;
  private static final int H = 320;
  private static final int LEFT = 64;
  private static final int RIGHT = 24;
  private static final int TOP = 44;
  private static final int BOTTOM = 52;

  private Svg() {
  }

  /** A named line of (x, y) points. */
  public record Series(String name, List<double[]> points) {
  }

  /** A horizontal line marking a target. */
  public record Threshold(String label, double y) {
  }

  /**
   * A line chart. With {@code xLabels}, x values are positions 0..n-1 shown with those labels
   * (percentiles, say); otherwise x is numeric.
   */
  public static String lineChart(String title, String xTitle, String yTitle, List<Series> series, List<String> xLabels,
      List<Threshold> thresholds) {
    double xMin = Double.MAX_VALUE;
    double xMax = -Double.MAX_VALUE;
    double yMax = 0;
    for (Series s : series) {
      for (double[] p : s.points()) {
        xMin = Math.min(xMin, p[0]);
        xMax = Math.max(xMax, p[0]);
        yMax = Math.max(yMax, p[1]);
      }
    }
    for (Threshold t : thresholds) {
      yMax = Math.max(yMax, t.y() * 1.1);
    }
    if (xMin == Double.MAX_VALUE) {
      xMin = 0;
      xMax = 1;
    }
    if (xMax == xMin) {
      xMax = xMin + 1;
    }
    yMax = niceCeiling(yMax);
    StringBuilder svg = frame(title, xTitle, yTitle, yMax);
    double x0 = xMin;
    double xs = xMax - xMin;
    if (xLabels != null) {
      for (int i = 0; i < xLabels.size(); i++) {
        double px = LEFT + (i - x0) / xs * plotW();
        svg.append(text(px, H - BOTTOM + 16, xLabels.get(i), "middle", 11, "#555"));
      }
    } else {
      for (int i = 0; i <= 5; i++) {
        double value = xMin + xs * i / 5;
        svg.append(text(LEFT + plotW() * i / 5.0, H - BOTTOM + 16, number(value), "middle", 11, "#555"));
      }
    }
    for (Threshold t : thresholds) {
      double py = y(t.y(), yMax);
      svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#c0392b' stroke-dasharray='6 4'/>",
          LEFT, py, W - RIGHT, py));
      svg.append(text(W - RIGHT - 4, py - 4, t.label(), "end", 11, "#c0392b"));
    }
    int legendX = LEFT + 8;
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      String color = COLORS[i % COLORS.length];
      StringBuilder path = new StringBuilder();
      for (double[] p : s.points()) {
        path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f",
            LEFT + (p[0] - x0) / xs * plotW(), y(p[1], yMax)));
      }
      svg.append("<path d='").append(path).append("' fill='none' stroke='").append(color).append("' stroke-width='2.2'/>");
      for (double[] p : s.points()) {
        svg.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='2.6' fill='%s'/>",
            LEFT + (p[0] - x0) / xs * plotW(), y(p[1], yMax), color));
      }
      svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='12' height='4' fill='%s'/>", legendX, TOP + 6, color));
      svg.append(text(legendX + 16, TOP + 11, s.name(), "start", 11, "#333"));
      legendX += 24 + s.name().length() * 7;
    }
    return svg.append("</svg>").toString();
  }

  /** Bars of counts per bucket; {@code labels} name every few buckets. */
  public static String barChart(String title, String xTitle, String yTitle, int[] counts, List<String> labels, int labelEvery) {
    double yMax = 1;
    for (int c : counts) {
      yMax = Math.max(yMax, c);
    }
    yMax = niceCeiling(yMax);
    StringBuilder svg = frame(title, xTitle, yTitle, yMax);
    double bw = plotW() / (double) counts.length;
    for (int i = 0; i < counts.length; i++) {
      double py = y(counts[i], yMax);
      svg.append(String.format(Locale.ROOT, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'/>",
          LEFT + i * bw + 0.5, py, Math.max(1, bw - 1), H - BOTTOM - py, COLORS[0]));
      if (i % labelEvery == 0 && i < labels.size()) {
        svg.append(text(LEFT + i * bw, H - BOTTOM + 16, labels.get(i), "middle", 11, "#555"));
      }
    }
    return svg.append("</svg>").toString();
  }

  private static StringBuilder frame(String title, String xTitle, String yTitle, double yMax) {
    StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d' font-family='DejaVu Sans, Arial, sans-serif'>",
        W, H, W, H));
    svg.append(String.format("<rect width='%d' height='%d' fill='#ffffff'/>", W, H));
    svg.append(text(LEFT, 24, title, "start", 15, "#111"));
    for (int i = 0; i <= 4; i++) {
      double value = yMax * i / 4;
      double py = y(value, yMax);
      svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#e5e5e5'/>", LEFT, py, W - RIGHT, py));
      svg.append(text(LEFT - 6, py + 4, number(value), "end", 11, "#555"));
    }
    svg.append(String.format("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#999'/>", LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM));
    svg.append(text(LEFT + plotW() / 2.0, H - 12, xTitle, "middle", 12, "#333"));
    svg.append(String.format(Locale.ROOT, "<text x='16' y='%.1f' font-size='12' fill='#333' text-anchor='middle' transform='rotate(-90 16 %.1f)'>%s</text>",
        TOP + plotH() / 2.0, TOP + plotH() / 2.0, escape(yTitle)));
    return svg;
  }

  private static int plotW() {
    return W - LEFT - RIGHT;
  }

  private static int plotH() {
    return H - TOP - BOTTOM;
  }

  private static double y(double value, double yMax) {
    return H - BOTTOM - value / yMax * plotH();
  }

  /** 1, 2, 2.5, 3, 4 or 5 times a power of ten, at or above the value. */
  static double niceCeiling(double value) {
    if (value <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 2.5, 3, 4, 5, 10}) {
      if (step * magnitude >= value) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  static String number(double value) {
    if (value == Math.rint(value)) {
      return String.format(Locale.ROOT, "%,d", (long) value);
    }
    return String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.1f", value);
  }

  private static String text(double x, double y, String text, String anchor, int size, String color) {
    return String.format(Locale.ROOT, "<text x='%.1f' y='%.1f' font-size='%d' fill='%s' text-anchor='%s'>%s</text>",
        x, y, size, color, anchor, escape(text));
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
  }
}
