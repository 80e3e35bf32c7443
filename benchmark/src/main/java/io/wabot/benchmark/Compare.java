package io.wabot.benchmark;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --compare REF}: the same benchmark against REF's build and the current one, back to back, so
 * that a change's effect is measured on the same machine in the same minutes. Writes compare.md,
 * compare.json and compare.html (in the style of a run's report) next to each run's own folder.
 */
final class Compare {

  private final Options o;
  private final Comparison comparison = new Comparison();
  private final Map<Comparison.Side, Latencies> latencies = new EnumMap<>(Comparison.Side.class);
  private final Map<Comparison.Side, List<double[]>> headline = new EnumMap<>(Comparison.Side.class);
  private String refLabel;
  private String currentLabel;

  private Compare(Options options) {
    this.o = options;
    for (Comparison.Side side : Comparison.Side.values()) {
      latencies.put(side, new Latencies());
      headline.put(side, new ArrayList<>());
    }
  }

  /** Exits 0 when every run was healthy, 1 when one lost steps, 2 when a run or the build could not be made. */
  static int run(Options options) throws Exception {
    return new Compare(options).call();
  }

  private int call() throws Exception {
    RefBuild.Built ref;
    try {
      ref = RefBuild.build(o.root(), o.compare(), o.root().resolve("target/benchmark/builds"));
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("benchmark: " + e.getMessage());
      return 2;
    }
    refLabel = ref.label();
    currentLabel = RefBuild.describeWorkingTree(o.root());
    List<Comparison.Side> order = Comparison.order(o.repeat());
    int status = 0;
    for (int i = 0; i < order.size(); i++) {
      Comparison.Side side = order.get(i);
      boolean isRef = side == Comparison.Side.REF;
      Path out = o.out().resolve(String.format(Locale.ROOT, "%d-%s", i + 1, isRef ? "ref" : "current"));
      System.out.printf("%n==> compare, run %d of %d: %s%n", i + 1, order.size(), isRef ? refLabel : currentLabel);
      Benchmark.Run run = new Benchmark.Run(isRef ? o.forBot(ref.dir(), ref.jar(), out) : o.forBot(o.root(), o.jar(), out));
      status = Math.max(status, run.call());
      if (run.report() == null) {
        return 2;
      }
      record(side, run.report(), i + 1);
    }
    write();
    return status;
  }

  private void record(Comparison.Side side, Report report, int runNumber) {
    List<Comparison.Figure> figures = report.figures();
    comparison.add(side, figures);
    latencies.get(side).addAll(report.latencies());
    headline.get(side).add(new double[] {runNumber - 1, figures.get(0).value()});
  }

  private void write() throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "Benchmark %s, %s against %s: %d run%s each, alternating, on %d cores (medians, with the range of the runs):",
        o.mode().name().toLowerCase(Locale.ROOT), currentLabel, refLabel, o.repeat(), o.repeat() == 1 ? "" : "s",
        Runtime.getRuntime().availableProcessors()));
    lines.add("");
    lines.addAll(comparison.markdown(refLabel, currentLabel));
    if (o.repeat() == 1) {
      lines.add("");
      lines.add("One run each: a difference may be the machine's noise; --repeat 2 or more tells.");
    }
    Files.writeString(o.out().resolve("compare.md"), String.join("\n", lines) + "\n");
    Files.writeString(o.out().resolve("compare.json"), new JsonObject().put("mode", o.mode().name().toLowerCase(Locale.ROOT))
        .put("finished_at", Instant.now().toString()).put("ref", refLabel).put("current", currentLabel).put("repeat", o.repeat())
        .put("order", new JsonArray(Comparison.order(o.repeat()).stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList()))
        .put("figures", comparison.toJson()).encodePrettily());
    Files.writeString(o.out().resolve("compare.html"), html());
    System.out.println();
    lines.forEach(System.out::println);
    System.out.printf("%n(written to %s, compare.json and compare.html; each run's report in its numbered folder)%n", o.out().resolve("compare.md"));
  }

  private String html() {
    StringBuilder h = Html.page("Benchmark comparison: " + o.mode().name().toLowerCase(Locale.ROOT));
    h.append("<h1>").append(Svg.escape(currentLabel)).append(" against ").append(Svg.escape(refLabel)).append("</h1>");
    h.append(String.format(Locale.ROOT, "<p><small>%s · benchmark %s · %d run%s each, in alternating order · %d cores (bot, Redis and load "
            + "generator together) · medians, with the range of the runs</small></p>", Instant.now(), o.mode().name().toLowerCase(Locale.ROOT),
        o.repeat(), o.repeat() == 1 ? "" : "s", Runtime.getRuntime().availableProcessors()));
    h.append("<table id='comparison'><tr><th>figure</th><th>").append(Svg.escape(refLabel)).append("</th><th>")
        .append(Svg.escape(currentLabel)).append("</th><th>current / REF</th><th></th></tr>");
    for (Comparison.Row row : comparison.rows()) {
      String verdict = row.verdict();
      String css = verdict.equals("better") ? "met" : verdict.equals("worse") ? "missed" : "";
      h.append("<tr><td>").append(Svg.escape(row.name())).append("</td><td>").append(Comparison.spread(row.ref())).append("</td><td>")
          .append(Comparison.spread(row.current())).append("</td><td>").append(Comparison.ratio(row.ratio())).append("</td><td class='")
          .append(css).append("'>").append(verdict).append("</td></tr>");
    }
    h.append("</table>");
    String first = comparison.rows().isEmpty() ? "" : comparison.rows().get(0).name();
    h.append(Svg.lineChart("Each run: " + first, "run (in the order they ran)", first,
        List.of(new Svg.Series(refLabel, headline.get(Comparison.Side.REF)), new Svg.Series(currentLabel, headline.get(Comparison.Side.CURRENT))),
        java.util.stream.IntStream.rangeClosed(1, 2 * o.repeat()).mapToObj(Integer::toString).toList(), List.of()));
    h.append(latencyChart());
    h.append("<p><small>Raw figures: compare.json in this folder, and each run's results.json and report.html in its numbered folder."
        + "</small></p></body></html>\n");
    return h.toString();
  }

  /** Both sides' latency by percentile, every run of a side taken together. */
  private String latencyChart() {
    List<Svg.Series> series = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (Comparison.Side side : Comparison.Side.values()) {
      JsonArray curve = latencies.get(side).curve();
      List<double[]> points = new ArrayList<>();
      labels.clear();
      for (int i = 0; i < curve.size(); i++) {
        JsonArray p = curve.getJsonArray(i);
        points.add(new double[] {i, p.getDouble(1)});
        labels.add(Report.percentileLabel(p.getDouble(0)));
      }
      series.add(new Svg.Series(side == Comparison.Side.REF ? refLabel : currentLabel, points));
    }
    String what = o.mode() == Options.Mode.SATURATION ? "at the highest rate each run sustained" : "measured part of every run";
    return Svg.lineChart("Latency by percentile (" + what + ")", "percentile", "milliseconds (webhook to answer)", series, labels, List.of());
  }
}
