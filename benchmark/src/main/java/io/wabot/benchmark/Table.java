package io.wabot.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code scripts/benchmark table}: the four runs of the README's Performance table, one after another
 * on the same machine, and the table itself in Markdown, so the published figures are one command away.
 */
final class Table {

  /** One row: what it is, the command that reproduces it alone, and the arguments that run it. */
  private record Row(String label, String command, List<String> args) {
  }

  private static final List<Row> ROWS = List.of(
      new Row("50 conversations, 1 node", "scripts/benchmark", List.of("load")),
      new Row("50 conversations, 2 clustered nodes", "scripts/benchmark --nodes 2", List.of("load", "--nodes", "2")),
      new Row("saturation, 1 node", "scripts/benchmark saturation --rate-start 200 --warmup 30s",
          List.of("saturation", "--rate-start", "200", "--warmup", "30s")),
      new Row("soak, 50 conversations, 10 min", "scripts/benchmark soak", List.of("soak")));

  private Table() {
  }

  static int run(Path root, List<String> args) throws Exception {
    Path out;
    if (args.isEmpty()) {
      String stamp = java.time.LocalDateTime.now().withNano(0).toString().replace(":", "").replace("-", "");
      out = root.resolve("target/benchmark/table-" + stamp);
    } else if (args.size() == 2 && args.get(0).equals("--out")) {
      out = Path.of(args.get(1));
    } else {
      System.err.println("benchmark: table takes only --out DIR, got " + String.join(" ", args));
      return 2;
    }
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "On %s, %d cores (the bot, Redis and the load generator together):",
        LocalDate.now(), Runtime.getRuntime().availableProcessors()));
    lines.add("");
    lines.add("| run | command | result |");
    lines.add("|---|---|---|");
    int status = 0;
    for (int i = 0; i < ROWS.size(); i++) {
      Row row = ROWS.get(i);
      List<String> runArgs = new ArrayList<>(row.args());
      runArgs.add("--out");
      runArgs.add(out.resolve((i + 1) + "-" + row.args().get(0) + (row.args().contains("--nodes") ? "-2-nodes" : "")).toString());
      System.out.printf("%n==> %d/%d %s: %s%n", i + 1, ROWS.size(), row.label(), row.command());
      Benchmark.Run run = new Benchmark.Run(Options.parse(runArgs.toArray(String[]::new), root));
      status = Math.max(status, run.call());
      lines.add("| " + row.label() + " | `" + row.command() + "` | " + (run.report() == null ? "did not run" : run.report().summaryCell()) + " |");
    }
    write(out, lines);
    System.out.println();
    lines.forEach(System.out::println);
    System.out.printf("%n(written to %s)%n", out.resolve("table.md"));
    return status;
  }

  private static void write(Path out, List<String> lines) throws IOException {
    Files.createDirectories(out);
    Files.write(out.resolve("table.md"), lines);
  }
}
