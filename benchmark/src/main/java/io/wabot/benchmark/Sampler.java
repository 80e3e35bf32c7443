package io.wabot.benchmark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the bots' RSS and CPU time and Redis's memory at a fixed interval, on its own thread (these are
 * blocking file and socket reads; the load driver's event loop never waits for them).
 */
public final class Sampler implements AutoCloseable {

  /** One reading: per bot RSS bytes and CPU ms, Redis used_memory and CPU ms. */
  public record Sample(long nanos, long[] rssBytes, long[] cpuMillis, long redisUsedMemory, long redisCpuMillis, long generatorCpuMillis) {
  }

  private final List<BotProcess> bots;
  private final RedisServer redis;
  private final List<Sample> samples = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sampler");
    t.setDaemon(true);
    return t;
  });

  public Sampler(List<BotProcess> bots, RedisServer redis, long intervalMillis) {
    this.bots = bots;
    this.redis = redis;
    sample();
    timer.scheduleAtFixedRate(this::sample, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  public Sample sample() {
    long[] rss = new long[bots.size()];
    long[] cpu = new long[bots.size()];
    for (int i = 0; i < bots.size(); i++) {
      rss[i] = ProcessStats.rssBytes(bots.get(i).pid());
      cpu[i] = ProcessStats.cpuMillis(bots.get(i).pid());
    }
    long used;
    try {
      used = redis.usedMemory();
    } catch (IOException e) {
      used = -1;
    }
    Sample s = new Sample(System.nanoTime(), rss, cpu, used, ProcessStats.cpuMillis(redis.pid()),
        ProcessStats.cpuMillis(ProcessHandle.current().pid()));
    synchronized (samples) {
      samples.add(s);
    }
    return s;
  }

  public List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** Stops sampling and waits for a reading in progress, so that no INFO of it lands after this returns. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      timer.shutdownNow();
    }
  }
}
