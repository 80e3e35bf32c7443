package io.wabot.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's command line, validated: every problem is reported, one line each. */
public record Options(
    Mode mode,
    int conversations,
    Duration duration,
    Duration warmUp,
    Duration think,
    int nodes,
    Duration graphLatency,
    Duration stepTimeout,
    int maxMessagesPerSecond,
    double rateStart,
    double rateStep,
    double rateMax,
    Duration stage,
    Path script,
    Path out,
    Path jar,
    Path root,
    boolean profile,
    Duration keptAfter,
    String compare,
    int repeat) {

  public enum Mode { LOAD, SATURATION, SOAK }

  /**
   * Meta's Cloud API answers a send in 100-300 ms; the middle of that is the default, so that what the
   * benchmark shows is what production sees (the bot's sends wait for these answers).
   */
  static final Duration META_GRAPH_LATENCY = Duration.ofMillis(200);

  public static final String USAGE = """
      Usage: scripts/benchmark [load|saturation|soak] [options]
             scripts/benchmark [load|saturation|soak] --compare REF [--repeat N] [options]
             scripts/benchmark table [--out DIR]
             scripts/benchmark independent [options]   (a second load client, in Node; see its --help)

      Starts a private redis-server, a fake Graph API and the bot's fat jar (java @conf/jvm.options -jar
      target/whatsapp-chatbot.jar), plays customers holding the sales conversation through signed
      webhooks, and prints latency percentiles (webhook POST to the Graph API request that answers it),
      throughput, lost steps, the bot's peak RSS and CPU (in cores and in ms per message), and Redis's
      work: commands per message (those run inside Lua scripts included) and bytes kept per message.
      Writes results.json and report.html (charts) to the output folder.

      Modes:
        load        (default) N conversations for --duration after a --warmup
        saturation  raises the rate of inbound messages stage by stage until p99 passes 1 s (or steps
                    are lost, or the bot falls behind the rate) and reports the highest sustained rate
        soak        N conversations for 10 minutes; RSS and Redis memory over time
        table       docs/performance.md's table in one command (about 25 minutes): load with think
                    time and without, on one node and on two clustered nodes, and saturation, each with
                    Meta's Graph API latency and with an instant one; then the soak. Prints the table in
                    Markdown and writes it to table.md with each run's report in a folder of its own
        independent a load client of another kind (benchmark/independent-client.mjs, Node 18 or later):
                    customers saying "hi" then "menu", a new connection per webhook, its own fake Graph
                    API; against a bot it starts the same way or one already running. See its --help

      Options:
        --conversations N     concurrent customers (default 50)
        --duration D          measured time, e.g. 60s, 10m (default: load 60s, soak 10m)
        --warmup D            played first and reported apart: the JIT compiles as it goes (default 10s)
        --think D             a customer's pause between an answer and its next message, drawn from
                              0.5x to 1.5x of this (default 1s; 0 sends the next message at once)
        --nodes N             bot processes on the one Redis; more than one runs them clustered
                              (CLUSTER=true) and alternates webhooks between them (default 1)
        --graph-latency D     the fake Graph API's response time, for messages and read receipts alike
                              (default 200ms, the middle of Meta's 100-300 ms; 0 answers at once)
        --step-timeout D      a step unanswered after this is counted lost (default 10s)
        --max-mps N           the bot's WHATSAPP_MAX_MESSAGES_PER_SECOND (default 1000, Meta's
                              ceiling; saturation: 100000, to measure the bot rather than the limit)
        --rate-start R, --rate-step R, --rate-max R, --stage D
                              saturation: rates of inbound messages a second (default 100, 100,
                              4000) and how long each stage lasts (default 10s)
        --script FILE         the customers' conversation: lines `NAME say TEXT` or `NAME tap ID-PREFIX`
                              (default: the example sales flow)
        --out DIR             where to write results (default target/benchmark/MODE-TIMESTAMP)
        --jar FILE            the bot's jar (default target/whatsapp-chatbot.jar)
        --profile             record a Java Flight Recording of the bot (bot-1.jfr in the output folder)
        --kept-after D        Redis bytes kept per message count what outlives this once the run is over:
                              keys that expire sooner are expired before memory is read again (default 2d)
        --compare REF         also build the git commit REF (a branch, tag or hash) in a folder of its own
                              (git archive, then mvn -q -B -DskipTests package; kept for later comparisons
                              in target/benchmark/builds/), run the same benchmark against REF's jar and
                              the current one back to back, and print each figure for both with the
                              ratio; writes compare.md, compare.json and compare.html
        --repeat N            with --compare: pairs of runs, the order alternating (REF first, then the
                              current jar first, ...) so that neither side always runs on a warmer machine;
                              medians are compared (default 2)
      """;

  private static final java.util.Set<String> VALUE_OPTIONS = java.util.Set.of("--conversations", "--duration", "--warmup",
      "--think", "--nodes", "--graph-latency", "--step-timeout", "--max-mps", "--rate-start", "--rate-step", "--rate-max",
      "--stage", "--script", "--out", "--jar", "--kept-after", "--compare", "--repeat");

  public static Options parse(String[] args, Path root) {
    Mode mode = Mode.LOAD;
    int conversations = 50;
    Duration duration = null;
    Duration warmUp = Duration.ofSeconds(10);
    Duration think = Duration.ofSeconds(1);
    int nodes = 1;
    Duration graphLatency = META_GRAPH_LATENCY;
    Duration stepTimeout = Duration.ofSeconds(10);
    Integer maxMps = null;
    double rateStart = 100;
    double rateStep = 100;
    double rateMax = 4000;
    Duration stage = Duration.ofSeconds(10);
    Path script = null;
    Path out = null;
    Path jar = root.resolve("target/whatsapp-chatbot.jar");
    boolean profile = false;
    Duration keptAfter = Duration.ofDays(2);
    String compare = null;
    Integer repeat = null;
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = i + 1 < args.length ? args[i + 1] : null;
      try {
        switch (arg) {
          case "load", "saturation", "soak" -> mode = Mode.valueOf(arg.toUpperCase(Locale.ROOT));
          case "--profile" -> profile = true;
          case "--conversations" -> conversations = positive(arg, whole(arg, need(arg, value)), problems);
          case "--duration" -> duration = duration(arg, need(arg, value));
          case "--warmup" -> warmUp = duration(arg, need(arg, value));
          case "--think" -> think = duration(arg, need(arg, value));
          case "--nodes" -> nodes = positive(arg, whole(arg, need(arg, value)), problems);
          case "--graph-latency" -> graphLatency = duration(arg, need(arg, value));
          case "--step-timeout" -> stepTimeout = duration(arg, need(arg, value));
          case "--max-mps" -> maxMps = positive(arg, whole(arg, need(arg, value)), problems);
          case "--rate-start" -> rateStart = number(arg, need(arg, value));
          case "--rate-step" -> rateStep = number(arg, need(arg, value));
          case "--rate-max" -> rateMax = number(arg, need(arg, value));
          case "--stage" -> stage = duration(arg, need(arg, value));
          case "--script" -> script = Path.of(need(arg, value));
          case "--out" -> out = Path.of(need(arg, value));
          case "--jar" -> jar = Path.of(need(arg, value));
          case "--kept-after" -> keptAfter = duration(arg, need(arg, value));
          case "--compare" -> compare = need(arg, value);
          case "--repeat" -> repeat = positive(arg, whole(arg, need(arg, value)), problems);
          default -> problems.add(arg + ": unknown argument (see --help)");
        }
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
      if (VALUE_OPTIONS.contains(arg)) {
        i++;
      }
    }
    if (duration == null) {
      duration = mode == Mode.SOAK ? Duration.ofMinutes(10) : Duration.ofSeconds(60);
    }
    if (rateStart <= 0 || rateStep <= 0 || rateMax < rateStart) {
      problems.add("--rate-start and --rate-step must be above 0 and --rate-max at least --rate-start, e.g. --rate-start 100 --rate-step 100 --rate-max 4000");
    }
    if (repeat != null && compare == null) {
      problems.add("--repeat: only with --compare REF, e.g. --compare main --repeat 2");
    }
    if (script != null && !script.toFile().isFile()) {
      problems.add("--script " + script + ": no such file");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    int mps = maxMps != null ? maxMps : mode == Mode.SATURATION ? 100_000 : 1_000;
    if (out == null) {
      String stamp = java.time.LocalDateTime.now().withNano(0).toString().replace(":", "").replace("-", "");
      out = root.resolve("target/benchmark").resolve((compare == null ? "" : "compare-") + mode.name().toLowerCase(Locale.ROOT) + "-" + stamp);
    }
    return new Options(mode, conversations, duration, warmUp, think, nodes, graphLatency, stepTimeout, mps, rateStart,
        rateStep, rateMax, stage, script, out, jar, root, profile, keptAfter, compare, repeat == null ? 2 : repeat);
  }

  /** The same run against another build of the bot: its folder (for conf/) and jar, with results in {@code runOut}. */
  Options forBot(Path botRoot, Path botJar, Path runOut) {
    return new Options(mode, conversations, duration, warmUp, think, nodes, graphLatency, stepTimeout, maxMessagesPerSecond,
        rateStart, rateStep, rateMax, stage, script, runOut, botJar, botRoot, profile, keptAfter, null, 1);
  }

  private static String need(String arg, String value) {
    if (value == null || value.startsWith("--")) {
      throw new IllegalArgumentException(arg + ": needs a value (see --help)");
    }
    return value;
  }

  private static int whole(String arg, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(arg + ": '" + value + "' is not a whole number");
    }
  }

  private static double number(String arg, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(arg + ": '" + value + "' is not a number");
    }
  }

  private static int positive(String arg, int value, List<String> problems) {
    if (value < 1) {
      problems.add(arg + ": must be at least 1, got " + value);
    }
    return value;
  }

  /** 250ms, 10s, 10m, 1h, 2d, or plain seconds. */
  static Duration duration(String arg, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long n = Long.parseLong(t.replaceAll("[smhd]$", ""));
      return switch (t.charAt(t.length() - 1)) {
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> Duration.ofSeconds(n);
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(arg + ": '" + text + "' is not a duration, e.g. 500ms, 30s, 10m");
    }
  }
}
