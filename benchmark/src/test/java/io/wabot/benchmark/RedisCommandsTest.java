package io.wabot.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisCommandsTest {

  private static final String INFO = """
      # Commandstats\r
      cmdstat_get:calls=12,usec=20,usec_per_call=1.67,rejected_calls=0,failed_calls=0\r
      cmdstat_evalsha:calls=5,usec=400,usec_per_call=80.00,rejected_calls=3,failed_calls=1\r
      cmdstat_memory|usage:calls=2,usec=4,usec_per_call=2.00,rejected_calls=0,failed_calls=0\r
      cmdstat_info:calls=9,usec=90,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r
      \r
      """;

  @Test
  void readsTheCallsOfEachCommandNotItsRejectedOrFailedCalls() {
    assertThat(RedisCommands.calls(RedisCommands.infoFields(INFO)))
        .containsExactly(Map.entry("get", 12L), Map.entry("evalsha", 5L), Map.entry("memory|usage", 2L), Map.entry("info", 9L));
  }

  @Test
  void namesCommandsAsCommandstatsDoes() {
    assertThat(RedisCommands.statName(new String[] {"INFO", "memory"})).isEqualTo("info");
    assertThat(RedisCommands.statName(new String[] {"MEMORY", "USAGE", "k"})).isEqualTo("memory|usage");
    assertThat(RedisCommands.statName(new String[] {"config", "resetstat"})).isEqualTo("config|resetstat");
    assertThat(RedisCommands.statName(new String[] {"DBSIZE"})).isEqualTo("dbsize");
  }

  @Test
  void theBenchmarksOwnCommandsAreLeftOut() {
    // Before: 3 own commands had been sent (the INFO taking this reading not among them).
    RedisCommands.Snapshot before = new RedisCommands.Snapshot(Map.of("get", 2L, "info", 4L, "ping", 1L), Map.of("info", 3L, "ping", 1L));
    // Between the readings the bots ran 10 GETs and 4 EVALSHAs; the benchmark sent that first INFO and 6 more.
    RedisCommands.Snapshot after = new RedisCommands.Snapshot(Map.of("get", 12L, "info", 11L, "evalsha", 4L, "ping", 1L),
        Map.of("info", 10L, "ping", 1L));
    RedisCommands.Usage usage = RedisCommands.between(before, after);
    assertThat(usage.byCommand()).containsExactly(Map.entry("evalsha", 4L), Map.entry("get", 10L));
    assertThat(usage.total()).isEqualTo(14);
    assertThat(usage.scripts()).isEqualTo(4);
    assertThat(usage.perMessage(4).getDouble("commands_per_message")).isEqualTo(3.5);
    assertThat(usage.perMessage(4).getJsonObject("commands_per_message_by_name").getDouble("get")).isEqualTo(2.5);
    assertThat(usage.perMessage(0).getDouble("commands_per_message")).isZero();
  }

  @Test
  void keyFamiliesHideTheIds() {
    assertThat(KeptMemory.family("wabot:{inbound}:dedup:wamid.BENCHIN42")).isEqualTo("wabot:{inbound}:dedup:*");
    assertThat(KeptMemory.family("wabot:conv:15551000001:state")).isEqualTo("wabot:conv:*:state");
    assertThat(KeptMemory.family("wabot:ratelimit")).isEqualTo("wabot:ratelimit");
    assertThat(KeptMemory.family("a::b1")).isEqualTo("a::*");
    assertThat(KeptMemory.family("wabot:{bot}:customer:c_igyuogsqecjetidxrqsa:ids")).isEqualTo("wabot:{bot}:customer:*:ids");
    assertThat(KeptMemory.family("wabot:{bot}:inbound:delayed")).isEqualTo("wabot:{bot}:inbound:delayed");
    assertThat(Report.ttl(604_790, 604_799)).isEqualTo("7.0 d");
    assertThat(Report.ttl(3_500, 86_000)).isEqualTo("58 min to 23.9 h");
    assertThat(Report.ttl(-1, -1)).isEqualTo("none");
  }
}
