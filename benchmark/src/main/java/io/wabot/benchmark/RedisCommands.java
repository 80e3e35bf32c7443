package io.wabot.benchmark;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Redis commands the bots ran during a run, from two {@code INFO commandstats} snapshots. Redis
 * counts a command run by a Lua script ({@code redis.call}) in its own row, as if a client had sent
 * it, and the EVAL/EVALSHA that ran the script once more (checked on Redis 7.0 by
 * RedisMeasurementsTest): so the total is every command Redis executed for the bots, inside scripts
 * or not. The benchmark's own commands (INFO for the samples, the key scan afterwards) are counted as
 * they are sent and taken out.
 */
final class RedisCommands {

  /** Subcommands Redis reports in rows of their own, e.g. {@code cmdstat_memory|usage}. */
  private static final Set<String> CONTAINERS = Set.of("memory", "config", "client", "object", "script", "command", "function",
      "cluster", "xinfo", "acl", "latency", "module", "slowlog", "pubsub");
  private static final Set<String> SCRIPT_CALLS = Set.of("eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro");
  private static final Pattern CALLS = Pattern.compile("(?:^|,)calls=(\\d+)");

  private RedisCommands() {
  }

  /** Calls by command, and the benchmark's own commands sent before this reading. */
  record Snapshot(Map<String, Long> calls, Map<String, Long> ownSoFar) {
  }

  /**
   * What the bots ran between two snapshots.
   *
   * @param byCommand calls per command (Redis's names, {@code memory|usage} for a subcommand)
   * @param total     every command, those inside scripts included
   * @param scripts   script runs (EVAL, EVALSHA, FCALL and their read-only forms)
   */
  record Usage(Map<String, Long> byCommand, long total, long scripts) {

    JsonObject perMessage(long messages) {
      JsonObject byName = new JsonObject();
      byCommand.forEach((name, calls) -> byName.put(name, ratio(calls, messages)));
      return new JsonObject().put("commands_per_message", ratio(total, messages)).put("scripts_per_message", ratio(scripts, messages))
          .put("commands_per_message_by_name", byName);
    }
  }

  /**
   * The bots' commands: the difference of the two readings less the benchmark's own commands sent in
   * between. A reading is taken by an INFO that is not in its own figures but is in the next one's;
   * {@link Snapshot#ownSoFar} is counted just before that INFO is sent, so the difference of the two
   * own counts is exactly the benchmark's part of the difference (that first INFO included).
   */
  static Usage between(Snapshot before, Snapshot after) {
    Map<String, Long> byCommand = new TreeMap<>();
    after.calls().forEach((name, calls) -> {
      long own = after.ownSoFar().getOrDefault(name, 0L) - before.ownSoFar().getOrDefault(name, 0L);
      long bots = calls - before.calls().getOrDefault(name, 0L) - own;
      if (bots > 0) {
        byCommand.put(name, bots);
      }
    });
    long total = byCommand.values().stream().mapToLong(Long::longValue).sum();
    long scripts = byCommand.entrySet().stream().filter(e -> SCRIPT_CALLS.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    return new Usage(byCommand, total, scripts);
  }

  /** The name under which {@code INFO commandstats} counts a command: {@code get}, {@code memory|usage}. */
  static String statName(String[] args) {
    String name = args[0].toLowerCase(Locale.ROOT);
    return CONTAINERS.contains(name) && args.length > 1 ? name + "|" + args[1].toLowerCase(Locale.ROOT) : name;
  }

  /** The calls of each command in an {@code INFO commandstats} section. */
  static Map<String, Long> calls(Map<String, String> commandStats) {
    Map<String, Long> calls = new LinkedHashMap<>();
    commandStats.forEach((field, value) -> {
      Matcher m = CALLS.matcher(value);
      if (field.startsWith("cmdstat_") && m.find()) {
        calls.put(field.substring("cmdstat_".length()), Long.parseLong(m.group(1)));
      }
    });
    return calls;
  }

  /** The {@code name:value} lines of an INFO reply; section headers and blank lines skipped. */
  static Map<String, String> infoFields(String info) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : info.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    return fields;
  }

  static double ratio(long count, long messages) {
    return messages == 0 ? 0 : Math.round(count * 100.0 / messages) / 100.0;
  }
}
