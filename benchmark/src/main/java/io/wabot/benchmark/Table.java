package io.wabot.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code scripts/benchmark table}: the runs of docs/performance.md's table, one after another
 * on the same machine, and the table itself in Markdown, so the published figures are one command away.
 */
final class Table {

  /** One row: what it is, the command that reproduces it alone, and the arguments that run it (folder names its output). */
  private record Row(String label, String command, String folder, List<String> args) {
  }

  /**
   * Each load and saturation run twice: with Meta's Graph API latency (the default, what production
   * sees) and with a Graph API that answers at once (what the bot alone can do).
   */
  private static final List<Row> ROWS = List.of(
      new Row("50 conversations, 1 node, Graph API 200 ms", "scripts/benchmark", "load", List.of("load")),
      new Row("50 conversations, 1 node, Graph API instant", "scripts/benchmark --graph-latency 0", "load-instant",
          List.of("load", "--graph-latency", "0")),
      new Row("50 conversations, no think time, 1 node, Graph API 200 ms", "scripts/benchmark --think 0", "load-think-0",
          List.of("load", "--think", "0")),
      new Row("50 conversations, no think time, 1 node, Graph API instant", "scripts/benchmark --think 0 --graph-latency 0",
          "load-think-0-instant", List.of("load", "--think", "0", "--graph-latency", "0")),
      new Row("50 conversations, 2 clustered nodes, Graph API 200 ms", "scripts/benchmark --nodes 2", "load-2-nodes",
          List.of("load", "--nodes", "2")),
      new Row("50 conversations, 2 clustered nodes, Graph API instant", "scripts/benchmark --nodes 2 --graph-latency 0",
          "load-2-nodes-instant", List.of("load", "--nodes", "2", "--graph-latency", "0")),
      new Row("saturation, 1 node, Graph API 200 ms, 1,000 messages/s tier",
          "scripts/benchmark saturation --max-mps 1000 --rate-start 100 --warmup 30s", "saturation",
          List.of("saturation", "--max-mps", "1000", "--rate-start", "100", "--warmup", "30s")),
      new Row("saturation, 1 node, Graph API instant", "scripts/benchmark saturation --graph-latency 0 --rate-start 200 --warmup 30s",
          "saturation-instant", List.of("saturation", "--graph-latency", "0", "--rate-start", "200", "--warmup", "30s")),
      new Row("soak, 50 conversations, 10 min, Graph API 200 ms", "scripts/benchmark soak", "soak", List.of("soak")));

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
      runArgs.add(out.resolve((i + 1) + "-" + row.folder()).toString());
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
