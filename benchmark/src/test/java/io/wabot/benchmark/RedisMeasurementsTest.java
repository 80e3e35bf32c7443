package io.wabot.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Redis figures against a real redis-server (the benchmark's own, on a free port, stopped after each test). */
class RedisMeasurementsTest {

  @TempDir
  Path dir;
  private RedisServer redis;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start(dir.resolve("redis"));
  }

  @AfterEach
  void stop() {
    redis.close();
  }

  @Test
  @DisplayName("commandstats count the commands a Lua script runs, and the benchmark's own commands are left out")
  void countsCommandsInsideScripts() throws Exception {
    RedisCommands.Snapshot before = redis.commandStats();
    try (Resp bot = new Resp(port())) { // a client of its own, as a bot is
      bot.call("EVAL", "redis.call('SET', KEYS[1], 'v'); redis.call('GET', KEYS[1]); return redis.call('GET', KEYS[1])", "1", "k");
      bot.call("INCR", "n");
    }
    redis.usedMemory(); // the benchmark's own INFO and DBSIZE, as the sampler sends them
    redis.keys();
    RedisCommands.Usage usage = RedisCommands.between(before, redis.commandStats());
    assertThat(usage.byCommand()).containsExactly(Map.entry("eval", 1L), Map.entry("get", 2L), Map.entry("incr", 1L), Map.entry("set", 1L));
    assertThat(usage.total()).isEqualTo(5);
    assertThat(usage.scripts()).isEqualTo(1);
  }

  @Test
  @DisplayName("what expires within the horizon is expired; what outlives it, or never expires, is kept")
  void keptMemory() throws Exception {
    int each = 2_000;
    try (Resp bot = new Resp(port())) {
      for (int i = 0; i < each; i++) {
        bot.pipeline(List.of(
            new String[] {"SET", "app:dedup:wamid." + i, "1", "EX", Long.toString(Duration.ofDays(7).toSeconds())},
            new String[] {"SET", "app:out:" + i, "x".repeat(1_000), "EX", "3600"}));
      }
      bot.call("SET", "app:catalog", "forever");
    }
    KeptMemory.Result result = KeptMemory.measure(redis, Duration.ofDays(2));

    assertThat(result.keysAfterRun()).isEqualTo(2L * each + 1);
    assertThat(result.keysKept()).isEqualTo(each + 1);
    // Each expired key freed its 1,000 bytes at least (Redis allocates some tens of KB of its own meanwhile).
    assertThat(result.usedAfterRun() - result.usedKept()).isGreaterThan(each * 1_000L - 100_000);
    assertThat(result.families()).extracting(KeptMemory.Family::pattern).containsExactly("app:out:*", "app:dedup:*", "app:catalog");
    KeptMemory.Family out = result.families().get(0);
    assertThat(out.keys()).isEqualTo(each);
    assertThat(out.bytes()).isGreaterThan(each * 1_000L);
    assertThat(out.keptKeys()).isZero();
    assertThat(out.maxTtlMillis()).isBetween(3_500_000L, 3_600_000L);
    KeptMemory.Family dedup = result.families().get(1);
    assertThat(dedup.keptKeys()).isEqualTo(each);
    assertThat(dedup.keptBytes()).isEqualTo(dedup.bytes()).isPositive();
    assertThat(dedup.minTtlMillis()).isGreaterThan(Duration.ofDays(6).toMillis());
    assertThat(result.families().get(2).minTtlMillis()).as("no expiry").isEqualTo(-1);
    assertThat(redis.command("EXISTS", "app:out:7")).isEqualTo("0");
    assertThat(redis.command("EXISTS", "app:dedup:wamid.7")).isEqualTo("1");
  }

  private int port() {
    return Integer.parseInt(redis.url().substring(redis.url().lastIndexOf(':') + 1));
  }
}
