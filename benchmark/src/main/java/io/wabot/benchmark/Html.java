package io.wabot.benchmark;

import java.util.Locale;

/** What the benchmark's HTML pages share: one look (no script, nothing fetched) and how times read. */
final class Html {

  private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:800px;margin:2em auto;color:#111}"
      + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ddd;padding:4px 10px;text-align:left}"
      + ".met{color:#128c7e;font-weight:600}.missed{color:#c0392b;font-weight:600}svg{margin:1em 0;border:1px solid #eee}"
      + "small{color:#555}";

  private Html() {
  }

  /** A page's start, up to and with the opening body tag. */
  static StringBuilder page(String title) {
    return new StringBuilder("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>").append(Svg.escape(title))
        .append("</title><style>").append(STYLE).append("</style></head><body>");
  }

  /** A duration in seconds as a person reads it: "45 s", "59 min", "23.9 h", "7.0 d"; "none" for -1 (no expiry). */
  static String age(long seconds) {
    if (seconds < 0) {
      return "none";
    }
    if (seconds < 120) {
      return seconds + " s";
    }
    if (seconds < 2 * 3600) {
      return seconds / 60 + " min";
    }
    if (seconds < 2 * 86_400) {
      return String.format(Locale.ROOT, "%.1f h", seconds / 3600.0);
    }
    return String.format(Locale.ROOT, "%.1f d", seconds / 86_400.0);
  }
}
