package io.wabot.benchmark;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The benchmark's entry point (see {@link Options#USAGE}): sets up Redis, the fake Graph API and the
 * bot processes, runs the chosen mode and writes the report. Started by scripts/benchmark.
 */
public final class Benchmark {

  static final String PHONE_NUMBER_ID = "100000000000001";
  static final String ACCESS_TOKEN = "bench-access-token-not-a-secret";
  static final String APP_SECRET = "bench-app-secret-not-a-secret";

  private Benchmark() {
  }

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(Options.USAGE);
      return;
    }
    Path root = Path.of(System.getProperty("benchmark.root", ".")).toAbsolutePath().normalize();
    if (args.length > 0 && args[0].equals("table")) {
      System.exit(Table.run(root, List.of(args).subList(1, args.length)));
      return;
    }
    Options options;
    try {
      options = Options.parse(args, root);
    } catch (IllegalArgumentException e) {
      e.getMessage().lines().forEach(line -> System.err.println("benchmark: " + line));
      System.exit(2);
      return;
    }
    if (!Files.isRegularFile(options.jar())) {
      System.err.println("benchmark: " + options.jar() + " not found; build it first with: mvn -q -B -DskipTests package");
      System.exit(2);
    }
    int status = options.compare() != null ? Compare.run(options) : new Run(options).call();
    System.exit(status);
  }

  /** One run; exits 0 when nothing was lost and the bot stayed up, 1 otherwise. */
  static final class Run {
    private final Options o;
    private Report report;

    Run(Options options) {
      this.o = options;
    }

    int call() throws Exception {
      Files.createDirectories(o.out());
      Script script = o.script() == null ? Script.sales() : Script.parse(Files.readAllLines(o.script()));
      RedisServer redis;
      try {
        redis = RedisServer.start(o.out().resolve("redis"));
      } catch (IOException e) {
        System.err.println("benchmark: could not start redis-server (" + e.getMessage() + "); install it, e.g. sudo apt-get install redis-server");
        return 2;
      }
      Vertx vertx = Vertx.vertx();
      List<BotProcess> bots = new CopyOnWriteArrayList<>();
      // Ctrl-C must not leave bot processes and a redis-server behind.
      Thread cleanUp = new Thread(() -> {
        bots.forEach(BotProcess::close);
        redis.close();
      }, "benchmark-clean-up");
      Runtime.getRuntime().addShutdownHook(cleanUp);
      // The bots stop (gracefully, SIGTERM) before their Redis does.
      try (redis; AutoCloseable stopBots = () -> bots.forEach(BotProcess::close)) {
        List<Integer> ports = new CopyOnWriteArrayList<>();
        LoadDriver driver = new LoadDriver(script, ports, PHONE_NUMBER_ID, ACCESS_TOKEN, APP_SECRET, o.graphLatency(), o.stepTimeout());
        await(vertx.deployVerticle(driver));
        System.out.printf("==> %s: %d bot node%s on %s, fake Graph API on 127.0.0.1:%d, output in %s%n",
            o.mode().name().toLowerCase(), o.nodes(), o.nodes() == 1 ? "" : "s", redis.url(), driver.graphPort(), o.out());
        // Redis as it is before any bot: what the run leaves is measured against this.
        long redisStart = redis.dataMemory();
        bots.addAll(startBots(redis, driver.graphPort()));
        bots.forEach(b -> ports.add(b.port()));
        // Taken before the sampler starts and after it has stopped: no INFO of the sampler crosses a reading.
        RedisCommands.Snapshot commandsBefore = redis.commandStats();
        report = new Report(o, script, bots);
        try (Sampler sampler = new Sampler(bots, redis, o.mode() == Options.Mode.SOAK ? 5_000 : 500)) {
          switch (o.mode()) {
            case LOAD, SOAK -> report.closedLoop(await(driver.runClosedLoop(o.conversations(), o.think(), o.warmUp(), o.duration())));
            case SATURATION -> saturate(driver, report);
          }
          report.finished(sampler.sample(), sampler.samples());
        }
        RedisCommands.Usage commands = RedisCommands.between(commandsBefore, redis.commandStats());
        report.graph(await(driver.graphCounts()));
        report.peaks(bots.stream().map(b -> ProcessStats.peakRssBytes(b.pid())).toList(),
            bots.stream().map(BotProcess::alive).toList());
        // The bots stop first, so that what Redis holds no longer changes while it is measured.
        bots.forEach(BotProcess::close);
        report.redis(redisStart, KeptMemory.measure(redis, o.keptAfter()), commands);
        report.write();
        report.print();
        return report.healthy() ? 0 : 1;
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Runtime.getRuntime().removeShutdownHook(cleanUp);
      }
    }

    /** What the run measured, once {@link #call()} has returned. */
    Report report() {
      return report;
    }

    /**
     * A warm-up stage at the start rate, then stages of rising rate until one fails (p99 over 1 s, a
     * step lost, or the bot so far behind that the customers were all waiting) or the maximum is reached.
     */
    private void saturate(LoadDriver driver, Report report) throws Exception {
      int pool = 20_000;
      Window warm = await(driver.openLoopStage(o.rateStart(), o.warmUp(), pool));
      report.warmUp(warm);
      System.out.printf("    warm-up %s: p99 %.1f ms%n", warm.name, warm.latencies.summary().p99() / 1000.0);
      for (double rate = o.rateStart(); rate <= o.rateMax(); rate += o.rateStep()) {
        Window stage = await(driver.openLoopStage(rate, o.stage(), pool));
        boolean ok = report.stage(stage);
        Latencies.Summary s = stage.latencies.summary();
        System.out.printf("    %8s: sent %6.1f/s  p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  lost %d%s%n", stage.name,
            stage.postedPerSecond(), s.p50() / 1000.0, s.p95() / 1000.0, s.p99() / 1000.0, stage.lost, ok ? "" : "  <- past saturation");
        if (!ok) {
          break;
        }
      }
    }

    private List<BotProcess> startBots(RedisServer redis, int graphPort) throws Exception {
      List<Integer> clusterPorts = new ArrayList<>();
      for (int i = 0; i < o.nodes(); i++) {
        clusterPorts.add(RedisServer.freePort());
      }
      String members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
      List<BotProcess> started = new ArrayList<>();
      for (int i = 0; i < o.nodes(); i++) {
        Map<String, String> env = new HashMap<>();
        env.put("REDIS_URL", redis.url());
        env.put("WHATSAPP_ACCESS_TOKEN", ACCESS_TOKEN);
        env.put("WHATSAPP_PHONE_NUMBER_ID", PHONE_NUMBER_ID);
        env.put("WHATSAPP_APP_SECRET", APP_SECRET);
        env.put("WHATSAPP_VERIFY_TOKEN", "bench-verify-token");
        env.put("WHATSAPP_API_BASE_URL", "http://127.0.0.1:" + graphPort);
        env.put("WHATSAPP_MAX_MESSAGES_PER_SECOND", Integer.toString(o.maxMessagesPerSecond()));
        env.put("LOG_FORMAT", "json");
        if (o.nodes() > 1) {
          env.put("CLUSTER", "true");
          env.put("CLUSTER_NAME", "bench-" + ProcessHandle.current().pid());
          env.put("CLUSTER_HOST", "127.0.0.1");
          env.put("CLUSTER_PORT", Integer.toString(clusterPorts.get(i)));
          env.put("CLUSTER_MEMBERS", members);
          env.put("CLUSTER_EVENTBUS_PORT", Integer.toString(RedisServer.freePort()));
        }
        List<String> jvm = o.profile()
            ? List.of("-XX:StartFlightRecording=settings=profile,filename=" + o.out().resolve("bot-" + (i + 1) + ".jfr").toAbsolutePath())
            : List.of();
        started.add(BotProcess.start("bot-" + (i + 1), o.root(), o.jar(), jvm, env, o.out()));
      }
      for (BotProcess bot : started) {
        bot.awaitReady(Duration.ofSeconds(60));
      }
      return started;
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(2, TimeUnit.HOURS);
  }
}
