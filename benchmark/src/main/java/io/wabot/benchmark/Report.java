package io.wabot.benchmark;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Collects a run's figures, checks them against the targets, and writes results.json, report.html and the charts. */
public final class Report {

  private static final double MB = 1024.0 * 1024.0;

  private final Options o;
  private final Script script;
  private final List<BotProcess> bots;
  private final Instant startedAt = Instant.now();
  private final List<Window> stages = new ArrayList<>();
  private final List<Boolean> stagesOk = new ArrayList<>();
  private Sampler.Sample first;
  private Sampler.Sample last;
  private List<Sampler.Sample> samples = List.of();
  private Window warm;
  private Window measured;
  private long[] graph = new long[4];
  private JsonObject redis = new JsonObject();
  private List<Long> peakRss = List.of();
  private List<Boolean> alive = List.of();

  Report(Options options, Script script, List<BotProcess> bots) {
    this.o = options;
    this.script = script;
    this.bots = bots;
  }

  /** The last reading and every reading of the run; the first was taken before any load. */
  void finished(Sampler.Sample sample, List<Sampler.Sample> all) {
    last = sample;
    samples = all;
    first = all.get(0);
  }

  void closedLoop(List<Window> windows) {
    warm = windows.get(0);
    measured = windows.get(1);
  }

  void warmUp(Window w) {
    warm = w;
  }

  /** Records a saturation stage; false when it is past saturation. */
  boolean stage(Window w) {
    boolean ok = w.lost == 0 && w.latencies.summary().p99() <= 1_000_000 && w.postedPerSecond() >= 0.95 * w.targetRate
        && w.answered > 0;
    stages.add(w);
    stagesOk.add(ok);
    return ok;
  }

  void graph(long[] counts) {
    graph = counts;
  }

  /**
   * Redis's side of the run: the commands the bots ran and what the run left, per inbound message
   * posted (warm-up included: Redis counted its work too).
   *
   * @param usedAtStart the data's memory ({@link RedisServer#dataMemory()}) before any bot started
   */
  void redis(long usedAtStart, KeptMemory.Result kept, RedisCommands.Usage commands) {
    long messages = messagesPosted();
    redis = commands.perMessage(messages)
        .put("messages", messages)
        .put("data_memory_start_mb", round(usedAtStart / MB)).put("data_memory_after_run_mb", round(kept.usedAfterRun() / MB))
        .put("data_memory_kept_mb", round(kept.usedKept() / MB)).put("keys_after_run", kept.keysAfterRun()).put("keys_kept", kept.keysKept())
        .put("bytes_per_message", perMessage(kept.usedAfterRun() - usedAtStart, messages))
        .put("bytes_per_message_kept", perMessage(kept.usedKept() - usedAtStart, messages))
        .put("keys_per_message_kept", RedisCommands.ratio(kept.keysKept(), messages))
        .put("kept_after_hours", kept.horizon().toHours())
        .put("key_families", kept.familiesJson())
        .put("cpu_seconds", last == null ? 0 : round((last.redisCpuMillis() - first.redisCpuMillis()) / 1000.0));
    if (o.mode() != Options.Mode.SATURATION) {
      redis.put("bytes_per_conversation", (kept.usedAfterRun() - usedAtStart) / o.conversations());
    }
  }

  private long messagesPosted() {
    return windows().stream().mapToLong(w -> w.posted).sum();
  }

  private static long perMessage(long bytes, long messages) {
    return messages == 0 ? 0 : bytes / messages;
  }

  void peaks(List<Long> peaks, List<Boolean> aliveAtEnd) {
    peakRss = peaks;
    alive = aliveAtEnd;
  }

  private List<Window> windows() {
    List<Window> all = new ArrayList<>();
    if (warm != null) {
      all.add(warm);
    }
    if (measured != null) {
      all.add(measured);
    }
    all.addAll(stages);
    return all;
  }

  /** Nothing lost or errored, and every bot still up. */
  boolean healthy() {
    long lost = windows().stream().filter(w -> w != warm).mapToLong(w -> w.lost).sum();
    boolean measuredLost = o.mode() == Options.Mode.SATURATION ? false : lost > 0;
    return !measuredLost && alive.stream().allMatch(a -> a) && graph[2] == 0;
  }

  /** CPU used by all bots during a window, in cores (1.0 = one core busy all the time). */
  double botCores(Window w) {
    return cores(w, s -> {
      long total = 0;
      for (long cpu : s.cpuMillis()) {
        total += cpu;
      }
      return total;
    });
  }

  /** Bot CPU milliseconds per message posted during a window (all bots together). */
  double botCpuMsPerMessage(Window w) {
    return w.posted == 0 ? 0 : botCores(w) * w.seconds() * 1000 / w.posted;
  }

  double redisCores(Window w) {
    return cores(w, Sampler.Sample::redisCpuMillis);
  }

  double generatorCores(Window w) {
    return cores(w, Sampler.Sample::generatorCpuMillis);
  }

  /** CPU milliseconds read from the samples nearest the window's start and end, per millisecond between them. */
  private double cores(Window w, java.util.function.ToLongFunction<Sampler.Sample> cpuMillis) {
    Sampler.Sample a = nearest(w.startNanos);
    Sampler.Sample b = nearest(w.endNanos);
    if (a == null || b == null || b.nanos() <= a.nanos()) {
      return 0;
    }
    return (cpuMillis.applyAsLong(b) - cpuMillis.applyAsLong(a)) / ((b.nanos() - a.nanos()) / 1e6);
  }

  private Sampler.Sample nearest(long nanos) {
    Sampler.Sample best = null;
    for (Sampler.Sample s : samples) {
      if (best == null || Math.abs(s.nanos() - nanos) < Math.abs(best.nanos() - nanos)) {
        best = s;
      }
    }
    return best;
  }

  /** The stage run at the highest rate that held. */
  private Optional<Window> sustainedStage() {
    return stages.stream().filter(w -> w.targetRate == sustainedRate() && w.targetRate > 0).findFirst();
  }

  /** The highest stage rate that held (the stages rise; the first failure ends the search). */
  double sustainedRate() {
    double best = 0;
    for (int i = 0; i < stages.size(); i++) {
      if (stagesOk.get(i)) {
        best = Math.max(best, stages.get(i).targetRate);
      }
    }
    return best;
  }

  /** Least-squares slope of total bot RSS over the second half of the run, in MB a minute. */
  double rssSlopeSecondHalf() {
    if (samples.size() < 4) {
      return 0;
    }
    List<Sampler.Sample> half = samples.subList(samples.size() / 2, samples.size());
    double n = half.size();
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (Sampler.Sample s : half) {
      double x = (s.nanos() - first.nanos()) / 60e9;
      double y = totalRss(s) / MB;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    double denominator = n * sxx - sx * sx;
    return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
  }

  private static long totalRss(Sampler.Sample s) {
    long total = 0;
    for (long r : s.rssBytes()) {
      total += Math.max(0, r);
    }
    return total;
  }

  private long maxPeakRss() {
    return peakRss.stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** Each target: name, the figure, whether it is met. */
  List<Object[]> targets() {
    List<Object[]> t = new ArrayList<>();
    double peakMb = maxPeakRss() / MB;
    if (measured != null) {
      Latencies.Summary s = measured.latencies.summary();
      t.add(new Object[] {"p95 ≤ 50 ms", ms(s.p95()), s.p95() <= 50_000});
      t.add(new Object[] {"p99 ≤ 100 ms", ms(s.p99()), s.p99() <= 100_000});
      t.add(new Object[] {"PF-001: p95 ≤ 1 s, p99 ≤ 2 s", ms(s.p95()) + " / " + ms(s.p99()), s.p95() <= 1_000_000 && s.p99() <= 2_000_000});
      t.add(new Object[] {"nothing lost", measured.lost + " lost", measured.lost == 0});
    }
    if (o.mode() == Options.Mode.SATURATION) {
      t.add(new Object[] {"≥ 1,000 inbound messages/s with p99 ≤ 1 s", String.format(Locale.ROOT, "%,.0f/s", sustainedRate()),
          sustainedRate() >= 1000});
    }
    t.add(new Object[] {"peak RSS ≤ 200 MB per node", String.format(Locale.ROOT, "%.0f MB", peakMb), peakMb <= 200});
    t.add(new Object[] {"PF-002: RSS ≤ 250 MB", String.format(Locale.ROOT, "%.0f MB", peakMb), peakMb <= 250});
    if (o.mode() == Options.Mode.SOAK) {
      double slope = rssSlopeSecondHalf();
      t.add(new Object[] {"RSS flat in the soak (second half ≤ 1 MB/min)", String.format(Locale.ROOT, "%+.2f MB/min", slope),
          Math.abs(slope) <= 1.0});
    }
    t.add(new Object[] {"no message answered twice", graph[2] + " read twice", graph[2] == 0});
    if (measured != null && !o.graphLatency().isZero()) {
      long p99 = measured.latencies.summary().p99();
      t.add(new Object[] {"p99 ≤ 1 s with the Graph API's latency", ms(p99), p99 <= 1_000_000});
    }
    if (o.mode() == Options.Mode.SATURATION) {
      double cpu = sustainedStage().map(this::botCpuMsPerMessage).orElse(Double.NaN);
      t.add(new Object[] {"bot CPU ≤ 0.4 ms per message (sustained rate)",
          Double.isNaN(cpu) ? "no rate held" : String.format(Locale.ROOT, "%.2f ms", cpu), cpu <= 0.4});
    }
    if (redis.containsKey("commands_per_message")) {
      double commands = redis.getDouble("commands_per_message");
      long kept = redis.getLong("bytes_per_message_kept");
      t.add(new Object[] {"Redis ≤ 10 commands per message", String.format(Locale.ROOT, "%.1f", commands), commands <= 10});
      t.add(new Object[] {"Redis ≤ 200 bytes kept per message", kept + " bytes", kept <= 200});
    }
    return t;
  }

  /** The figures {@code --compare} sets side by side. */
  List<Comparison.Figure> figures() {
    List<Comparison.Figure> f = new ArrayList<>();
    if (measured != null) {
      Latencies.Summary s = measured.latencies.summary();
      f.add(new Comparison.Figure("steps answered per second", measured.answered / measured.seconds(), true));
      f.add(new Comparison.Figure("latency p50 (ms)", s.p50() / 1000.0, false));
      f.add(new Comparison.Figure("latency p95 (ms)", s.p95() / 1000.0, false));
      f.add(new Comparison.Figure("latency p99 (ms)", s.p99() / 1000.0, false));
      f.add(new Comparison.Figure("bot CPU (cores)", botCores(measured), false));
      f.add(new Comparison.Figure("bot CPU per message (ms)", botCpuMsPerMessage(measured), false));
      f.add(new Comparison.Figure("steps lost", measured.lost, false));
    }
    if (o.mode() == Options.Mode.SATURATION) {
      f.add(new Comparison.Figure("inbound messages/s sustained", sustainedRate(), true));
      f.add(new Comparison.Figure("bot CPU per message at that rate (ms)", sustainedStage().map(this::botCpuMsPerMessage).orElse(Double.NaN), false));
    }
    f.add(new Comparison.Figure("Redis commands per message", redis.getDouble("commands_per_message", Double.NaN), false));
    f.add(new Comparison.Figure("Redis bytes kept per message", redis.getLong("bytes_per_message_kept", 0L), false));
    f.add(new Comparison.Figure("peak RSS (MB)", maxPeakRss() / MB, false));
    f.add(new Comparison.Figure("messages answered twice", graph[2], false));
    return f;
  }

  /** The measured window's latencies (closed loop), or the sustained stage's (saturation); empty when neither. */
  Latencies latencies() {
    if (measured != null) {
      return measured.latencies;
    }
    return sustainedStage().map(w -> w.latencies).orElseGet(Latencies::new);
  }

  private static String ms(long micros) {
    return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  // ---- output --------------------------------------------------------------------------------------

  JsonObject toJson() {
    JsonObject settings = new JsonObject().put("conversations", o.conversations()).put("think_ms", o.think().toMillis())
        .put("warm_up_s", o.warmUp().toSeconds()).put("duration_s", o.duration().toSeconds()).put("nodes", o.nodes())
        .put("graph_latency_ms", o.graphLatency().toMillis()).put("step_timeout_s", o.stepTimeout().toSeconds())
        .put("max_messages_per_second", o.maxMessagesPerSecond())
        .put("script", new JsonArray(script.steps().stream().map(s -> s.name() + " " + s.kind().name().toLowerCase() + " " + s.value()).toList()));
    if (o.mode() == Options.Mode.SATURATION) {
      settings.put("rate_start", o.rateStart()).put("rate_step", o.rateStep()).put("rate_max", o.rateMax()).put("stage_s", o.stage().toSeconds());
    }
    JsonObject json = new JsonObject().put("mode", o.mode().name().toLowerCase()).put("started_at", startedAt.toString())
        .put("machine", new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
            .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
            .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
            .put("note", "bot, Redis and load generator share this machine"))
        .put("settings", settings);
    if (warm != null) {
      json.put("warm_up", warm.toJson());
    }
    if (measured != null) {
      json.put("measured", measured.toJson().put("bot_cpu_cores", round2(botCores(measured)))
          .put("bot_cpu_ms_per_message", round2(botCpuMsPerMessage(measured))).put("redis_cpu_cores", round2(redisCores(measured)))
          .put("load_generator_cpu_cores", round2(generatorCores(measured))));
    }
    if (!stages.isEmpty()) {
      JsonArray array = new JsonArray();
      for (int i = 0; i < stages.size(); i++) {
        array.add(stages.get(i).toJson().put("held", stagesOk.get(i)).put("bot_cpu_cores", round2(botCores(stages.get(i))))
            .put("bot_cpu_ms_per_message", round2(botCpuMsPerMessage(stages.get(i))))
            .put("redis_cpu_cores", round2(redisCores(stages.get(i)))).put("load_generator_cpu_cores", round2(generatorCores(stages.get(i)))));
      }
      json.put("stages", array).put("sustained_rate", sustainedRate());
    }
    JsonArray nodes = new JsonArray();
    for (int i = 0; i < bots.size(); i++) {
      nodes.add(new JsonObject().put("name", bots.get(i).name()).put("peak_rss_mb", round(peakRss.get(i) / MB))
          .put("rss_start_mb", round(first.rssBytes()[i] / MB)).put("rss_end_mb", round(last.rssBytes()[i] / MB))
          .put("cpu_seconds", round((last.cpuMillis()[i] - first.cpuMillis()[i]) / 1000.0)).put("up_at_end", alive.get(i)));
    }
    JsonArray series = new JsonArray();
    for (Sampler.Sample s : samples) {
      JsonArray row = new JsonArray().add(round((s.nanos() - first.nanos()) / 1e9));
      for (long r : s.rssBytes()) {
        row.add(round(r / MB));
      }
      series.add(row.add(round(s.redisUsedMemory() / MB)));
    }
    json.put("bot", new JsonObject().put("nodes", nodes).put("rss_series_columns", "seconds, RSS MB of each node, Redis used_memory MB")
        .put("rss_series", series));
    if (o.mode() == Options.Mode.SOAK) {
      json.getJsonObject("bot").put("rss_slope_second_half_mb_per_min", Math.round(rssSlopeSecondHalf() * 100) / 100.0);
    }
    json.put("redis", redis);
    json.put("graph_api", new JsonObject().put("messages", graph[0]).put("read_receipts", graph[1])
        .put("messages_read_twice", graph[2]).put("rejected", graph[3]));
    JsonArray targets = new JsonArray();
    for (Object[] t : targets()) {
      targets.add(new JsonObject().put("target", t[0]).put("figure", t[1]).put("met", t[2]));
    }
    return json.put("targets", targets);
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  void write() throws IOException {
    Files.writeString(o.out().resolve("results.json"), toJson().encodePrettily());
    List<String> charts = charts();
    String[] names = chartNames();
    for (int i = 0; i < charts.size(); i++) {
      Files.writeString(o.out().resolve(names[i] + ".svg"), charts.get(i));
    }
    Files.writeString(o.out().resolve("report.html"), html(charts));
  }

  private String[] chartNames() {
    return o.mode() == Options.Mode.SATURATION ? new String[] {"saturation", "rss"} : new String[] {"latency", "histogram", "rss"};
  }

  List<String> charts() {
    List<String> charts = new ArrayList<>();
    if (o.mode() == Options.Mode.SATURATION) {
      // One position per stage, labelled with its rate; values capped at 2 s so the stages that held stay readable.
      List<double[]> p50 = new ArrayList<>(), p95 = new ArrayList<>(), p99 = new ArrayList<>();
      List<String> rates = new ArrayList<>();
      for (int i = 0; i < stages.size(); i++) {
        Latencies.Summary s = stages.get(i).latencies.summary();
        p50.add(new double[] {i, Math.min(s.p50() / 1000.0, 2_000)});
        p95.add(new double[] {i, Math.min(s.p95() / 1000.0, 2_000)});
        p99.add(new double[] {i, Math.min(s.p99() / 1000.0, 2_000)});
        rates.add(Svg.number(stages.get(i).targetRate));
      }
      charts.add(Svg.lineChart(String.format(Locale.ROOT, "Latency by rate (highest sustained: %,.0f messages/s)", sustainedRate()),
          "inbound messages per second", "milliseconds, capped at 2 s",
          List.of(new Svg.Series("p50", p50), new Svg.Series("p95", p95), new Svg.Series("p99", p99)), rates,
          List.of(new Svg.Threshold("p99 limit 1 s", 1_000))));
    } else {
      JsonArray curve = measured.latencies.curve();
      List<double[]> points = new ArrayList<>();
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < curve.size(); i++) {
        JsonArray p = curve.getJsonArray(i);
        points.add(new double[] {i, p.getDouble(1)});
        labels.add(percentileLabel(p.getDouble(0)));
      }
      Latencies.Summary s = measured.latencies.summary();
      charts.add(Svg.lineChart(String.format(Locale.ROOT, "Latency by percentile: %d conversations, %d node%s (p95 %.1f ms, p99 %.1f ms)",
              o.conversations(), o.nodes(), o.nodes() == 1 ? "" : "s", s.p95() / 1000.0, s.p99() / 1000.0),
          "percentile", "milliseconds (webhook to answer)", List.of(new Svg.Series("measured", points)), labels,
          List.of(new Svg.Threshold("p95 target 50 ms", 50), new Svg.Threshold("p99 target 100 ms", 100))));
      long bucket = Math.max(1_000, (long) Math.ceil(s.p999() * 1.2 / 40 / 1000.0) * 1000);
      int[] counts = measured.latencies.histogram(bucket, 41);
      List<String> blabels = new ArrayList<>();
      for (int i = 0; i < counts.length; i++) {
        blabels.add(Svg.number(i * bucket / 1000.0));
      }
      charts.add(Svg.barChart("Latency histogram (" + bucket / 1000 + " ms buckets; the last holds the rest)", "milliseconds",
          "answered steps", counts, blabels, 5));
    }
    List<Svg.Series> rss = new ArrayList<>();
    for (int i = 0; i < bots.size(); i++) {
      List<double[]> points = new ArrayList<>();
      for (Sampler.Sample s : samples) {
        points.add(new double[] {(s.nanos() - first.nanos()) / 1e9, s.rssBytes()[i] / MB});
      }
      rss.add(new Svg.Series(bots.get(i).name() + " RSS", points));
    }
    List<double[]> redisPoints = new ArrayList<>();
    for (Sampler.Sample s : samples) {
      redisPoints.add(new double[] {(s.nanos() - first.nanos()) / 1e9, s.redisUsedMemory() / MB});
    }
    rss.add(new Svg.Series("Redis used_memory", redisPoints));
    charts.add(Svg.lineChart("Memory over time", "seconds", "MB", rss, null,
        List.of(new Svg.Threshold("200 MB target", 200), new Svg.Threshold("250 MB alert (PF-002)", 250))));
    return charts;
  }

  /** A percentile curve's axis names only the percentiles people look for. */
  static String percentileLabel(double percentile) {
    boolean shown = percentile == 0 || percentile == 50 || percentile == 90 || percentile == 95 || percentile == 99 || percentile == 99.9;
    return shown ? Svg.number(percentile) : "";
  }

  private String html(List<String> charts) {
    StringBuilder h = Html.page("Benchmark: " + o.mode().name().toLowerCase());
    h.append("<h1>whatsapp-chatbot benchmark: ").append(o.mode().name().toLowerCase()).append("</h1>");
    h.append("<p><small>").append(startedAt).append(" · ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores (bot, Redis and load generator together) · ").append(o.nodes()).append(" node").append(o.nodes() == 1 ? "" : "s")
        .append(" · latency is the time from the webhook POST to the Graph API request that answers it</small></p>");
    h.append("<table id='targets'><tr><th>target</th><th>figure</th><th></th></tr>");
    for (Object[] t : targets()) {
      boolean met = (Boolean) t[2];
      h.append("<tr><td>").append(Svg.escape(t[0].toString())).append("</td><td>").append(Svg.escape(t[1].toString()))
          .append("</td><td class='").append(met ? "met'>met" : "missed'>missed").append("</td></tr>");
    }
    h.append("</table>");
    if (measured != null) {
      h.append("<table id='steps'><tr><th>step</th><th>answered</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr>");
      measured.perStep.forEach((name, l) -> {
        Latencies.Summary s = l.summary();
        h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td></tr>",
            Svg.escape(name), s.count(), s.p50() / 1000.0, s.p95() / 1000.0, s.p99() / 1000.0, s.max() / 1000.0));
      });
      h.append("</table>");
      h.append(String.format(Locale.ROOT, "<p>%,d steps answered in %.0f s (%.1f a second), %d lost, %d webhook errors; "
              + "bot CPU %.2f cores (%.2f ms per message), Redis CPU %.2f cores.</p>", measured.answered, measured.seconds(),
          measured.answered / measured.seconds(), measured.lost, measured.webhookErrors, botCores(measured), botCpuMsPerMessage(measured),
          redisCores(measured)));
    }
    if (!stages.isEmpty()) {
      h.append("<table id='stages'><tr><th>offered</th><th>sent/s</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>lost</th><th>bot cores</th><th>bot ms/msg</th><th>Redis cores</th><th></th></tr>");
      for (int i = 0; i < stages.size(); i++) {
        Window w = stages.get(i);
        Latencies.Summary s = w.latencies.summary();
        h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.0f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%d</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%s</td></tr>",
            w.name, w.postedPerSecond(), s.p50() / 1000.0, s.p95() / 1000.0, s.p99() / 1000.0, w.lost, botCores(w), botCpuMsPerMessage(w),
            redisCores(w), stagesOk.get(i) ? "held" : "past saturation"));
      }
      h.append("</table>");
    }
    h.append("<p>").append(Svg.escape(redisLine())).append("</p>");
    h.append("<table id='redis'><tr><th>Redis keys</th><th>keys</th><th>bytes (MEMORY USAGE)</th><th>TTL</th><th>kept</th></tr>");
    for (Object f : redis.getJsonArray("key_families", new JsonArray())) {
      JsonObject family = (JsonObject) f;
      h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%,d</td><td>%s</td><td>%,d</td></tr>", Svg.escape(family.getString("pattern")),
          family.getLong("keys"), family.getLong("bytes"), ttl(family.getLong("ttl_min_s"), family.getLong("ttl_max_s")), family.getLong("kept_keys")));
    }
    h.append("</table>");
    charts.forEach(h::append);
    h.append("<p><small>Raw figures: results.json in this folder.</small></p></body></html>\n");
    return h.toString();
  }

  void print() {
    System.out.println();
    System.out.printf("Benchmark %s: %s%n", o.mode().name().toLowerCase(), description());
    if (measured != null) {
      Latencies.Summary s = measured.latencies.summary();
      System.out.printf("  steps answered  %,d (%.1f/s), lost %d, webhook errors %d, read twice %d%n", measured.answered,
          measured.answered / measured.seconds(), measured.lost, measured.webhookErrors, graph[2]);
      if (measured.lost > 0) {
        System.out.printf("  lost by step    %s%n", measured.lostPerStep);
      }
      System.out.printf("  latency         p50 %.1f ms   p95 %.1f ms   p99 %.1f ms   max %.1f ms   (webhook POST to the answering Graph API request)%n",
          s.p50() / 1000.0, s.p95() / 1000.0, s.p99() / 1000.0, s.max() / 1000.0);
      measured.perStep.forEach((name, l) -> System.out.printf("    %-14s p50 %6.1f ms   p95 %6.1f ms   p99 %6.1f ms%n", name,
          l.summary().p50() / 1000.0, l.summary().p95() / 1000.0, l.summary().p99() / 1000.0));
      System.out.printf("  CPU             bot %.2f cores (%.2f ms per message), Redis %.2f cores, load generator %.2f cores (of %d)%n",
          botCores(measured), botCpuMsPerMessage(measured), redisCores(measured), generatorCores(measured), Runtime.getRuntime().availableProcessors());
    }
    if (!stages.isEmpty()) {
      System.out.printf("  highest sustained rate: %,.0f inbound messages/s with p99 ≤ 1 s%n", sustainedRate());
    }
    for (int i = 0; i < bots.size(); i++) {
      System.out.printf("  %-15s peak RSS %.0f MB (start %.0f MB, end %.0f MB)%n", bots.get(i).name(), peakRss.get(i) / MB,
          first.rssBytes()[i] / MB, last.rssBytes()[i] / MB);
    }
    if (o.mode() == Options.Mode.SOAK) {
      System.out.printf("  RSS trend       %+.2f MB/min over the second half%n", rssSlopeSecondHalf());
    }
    System.out.printf("  Redis           %s%n", redisLine());
    System.out.println("  targets:");
    for (Object[] t : targets()) {
      System.out.printf("    %-6s %-48s %s%n", (Boolean) t[2] ? "met" : "MISSED", t[0], t[1]);
    }
    System.out.printf("  report: %s (charts), %s%n", o.out().resolve("report.html"), o.out().resolve("results.json"));
  }

  /** The run's result in one Markdown table cell, as in the table of docs/performance.md. */
  String summaryCell() {
    List<String> rss = new ArrayList<>();
    for (long peak : peakRss) {
      rss.add(String.format(Locale.ROOT, "%.0f", peak / MB));
    }
    String peaks = String.join(" and ", rss) + " MB";
    if (o.mode() == Options.Mode.SATURATION) {
      StringBuilder cell = new StringBuilder(String.format(Locale.ROOT, "**%,.0f inbound messages/s sustained**", sustainedRate()));
      for (int i = 0; i < stages.size(); i++) {
        Window w = stages.get(i);
        Latencies.Summary s = w.latencies.summary();
        if (w.targetRate == sustainedRate()) {
          cell.append(String.format(Locale.ROOT, " (p95 %.0f ms, p99 %.0f ms, %d lost); bot %.2f cores (%.2f ms CPU per message), Redis %.2f, "
              + "load generator %.2f", s.p95() / 1000.0, s.p99() / 1000.0, w.lost, botCores(w), botCpuMsPerMessage(w), redisCores(w), generatorCores(w)));
        } else if (!stagesOk.get(i)) {
          cell.append(String.format(Locale.ROOT, "; at %,.0f/s: %.0f/s handled, p99 %,.0f ms", w.targetRate, w.postedPerSecond(),
              s.p99() / 1000.0));
        }
      }
      return cell.append("; peak RSS ").append(peaks).append(redisCell()).toString();
    }
    Latencies.Summary s = measured.latencies.summary();
    String cell = String.format(Locale.ROOT, "%,d steps in %.0f s (%.0f/s), %d lost; **p50 %.1f ms, p95 %.1f ms, p99 %.1f ms**, max %.0f ms; "
            + "bot CPU %.2f cores (%.2f ms per message); peak RSS %s", measured.answered, measured.seconds(), measured.answered / measured.seconds(),
        measured.lost, s.p50() / 1000.0, s.p95() / 1000.0, s.p99() / 1000.0, s.max() / 1000.0, botCores(measured), botCpuMsPerMessage(measured), peaks);
    if (o.mode() == Options.Mode.SOAK) {
      cell += String.format(Locale.ROOT, "; RSS %.0f MB after start-up, %+.2f MB/min over the second half",
          first.rssBytes()[0] / MB, rssSlopeSecondHalf());
    }
    return cell + redisCell();
  }

  private String redisCell() {
    return String.format(Locale.ROOT, "; Redis %.1f commands and %d bytes kept per message", redis.getDouble("commands_per_message", 0.0),
        redis.getLong("bytes_per_message_kept", 0L));
  }

  /** Redis's figures in one sentence, for the console and the HTML report. */
  private String redisLine() {
    return String.format(Locale.ROOT, "%.1f commands per message (inside Lua scripts included; %.1f script runs), %d bytes per message "
            + "as the run left it, %d bytes (%.1f keys) kept per message past %d h;%s data %.1f MB at start, %.1f MB after the run, "
            + "%.1f MB kept", redis.getDouble("commands_per_message", 0.0), redis.getDouble("scripts_per_message", 0.0),
        redis.getLong("bytes_per_message", 0L), redis.getLong("bytes_per_message_kept", 0L), redis.getDouble("keys_per_message_kept", 0.0),
        redis.getLong("kept_after_hours", 0L),
        redis.containsKey("bytes_per_conversation") ? " " + redis.getLong("bytes_per_conversation") + " bytes per conversation;" : "",
        redis.getDouble("data_memory_start_mb", 0.0), redis.getDouble("data_memory_after_run_mb", 0.0), redis.getDouble("data_memory_kept_mb", 0.0));
  }

  /** A family's remaining TTLs: "7.0 d", "59 min to 24.0 h", "none". */
  static String ttl(long minSeconds, long maxSeconds) {
    String min = Html.age(minSeconds);
    String max = Html.age(maxSeconds);
    return min.equals(max) ? min : min + " to " + max;
  }

  private String description() {
    return switch (o.mode()) {
      case LOAD, SOAK -> String.format(Locale.ROOT, "%d conversations, think %d ms, %d s measured after %d s warm-up, %d node%s, Graph API latency %d ms",
          o.conversations(), o.think().toMillis(), o.duration().toSeconds(), o.warmUp().toSeconds(), o.nodes(), o.nodes() == 1 ? "" : "s",
          o.graphLatency().toMillis());
      case SATURATION -> String.format(Locale.ROOT, "rates from %.0f/s by %.0f/s, %d s stages, %d node%s, Graph API latency %d ms, "
              + "%,d messages/s allowed", o.rateStart(), o.rateStep(), o.stage().toSeconds(), o.nodes(), o.nodes() == 1 ? "" : "s",
          o.graphLatency().toMillis(), o.maxMessagesPerSecond());
    };
  }
}
