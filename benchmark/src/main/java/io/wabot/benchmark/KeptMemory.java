package io.wabot.benchmark;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a run leaves in Redis, and what of it stays for the retention window. Measured once the bots
 * have stopped, so nothing changes meanwhile: the data's memory ({@link RedisServer#dataMemory()}) as
 * the run left it; then every key is looked at (SCAN, PTTL, MEMORY USAGE) and grouped into families by
 * its pattern; then the keys that would expire within {@code horizon} are expired at once (DEL) and
 * the memory is read again.
 * What remains is what the messages keep for longer than that: with the default of two days, the
 * 7-day inbound message ids and delivery statuses stay, while the 1-hour outbound ids and the 24-hour
 * conversation state go; it is read once Redis has resized its tables for what is left. That memory
 * counts Redis's own overhead per key too (dictionary entries, expiry entries), which MEMORY USAGE per
 * family only estimates.
 */
final class KeptMemory {

  private static final int BATCH = 1_000;
  private static final Pattern DIGIT = Pattern.compile(".*\\d.*");

  private KeptMemory() {
  }

  /** The keys of one pattern; TTLs in milliseconds, -1 for keys that never expire. */
  record Family(String pattern, long keys, long bytes, long keptKeys, long keptBytes, long minTtlMillis, long maxTtlMillis) {

    JsonObject toJson() {
      return new JsonObject().put("pattern", pattern).put("keys", keys).put("bytes", bytes).put("kept_keys", keptKeys)
          .put("kept_bytes", keptBytes).put("ttl_min_s", seconds(minTtlMillis)).put("ttl_max_s", seconds(maxTtlMillis));
    }

    private static long seconds(long millis) {
      return millis < 0 ? -1 : millis / 1000;
    }
  }

  /** The data's memory and key counts as the run left them and once the short-lived keys expired. */
  record Result(long usedAfterRun, long keysAfterRun, long usedKept, long keysKept, Duration horizon, List<Family> families) {

    JsonArray familiesJson() {
      return new JsonArray(families.stream().map(Family::toJson).toList());
    }
  }

  /** Call once the bots have stopped. */
  static Result measure(RedisServer redis, Duration horizon) throws IOException, InterruptedException {
    long usedAfterRun = redis.dataMemory();
    long keysAfterRun = redis.keys();
    Map<String, Tally> families = new LinkedHashMap<>();
    // A connection of its own: its buffers grow with the pipelined questions and go when it closes.
    try (Resp connection = redis.connect()) {
      List<String> expiring = survey(connection, horizon, families);
      for (int from = 0; from < expiring.size(); from += BATCH) {
        connection.pipeline(expiring.subList(from, Math.min(expiring.size(), from + BATCH)).stream()
            .map(key -> new String[] {"DEL", key}).toList());
      }
    }
    List<Family> list = new ArrayList<>();
    families.forEach((pattern, t) -> list.add(t.family(pattern)));
    list.sort(Comparator.comparingLong(Family::bytes).reversed());
    return new Result(usedAfterRun, keysAfterRun, settledDataMemory(redis), redis.keys(), horizon, List.copyOf(list));
  }

  /**
   * The data's memory once Redis has had its cron ticks (every 100 ms at the default hz 10): a tick
   * shrinks the key and expiry tables that are under a tenth full. Read at once after the DELs, the
   * tables would still be sized for the short-lived keys just removed (on a 20-second run, some 30 KB,
   * 40 bytes a message), a state that lasts a tenth of a second, not the retention window. Read until
   * two readings 300 ms apart agree, for at most 3 s.
   */
  private static long settledDataMemory(RedisServer redis) throws IOException, InterruptedException {
    long previous = redis.dataMemory();
    for (int i = 0; i < 10; i++) {
      Thread.sleep(300);
      long now = redis.dataMemory();
      if (now == previous) {
        return now;
      }
      previous = now;
    }
    return previous;
  }

  /** Counts every key into its family; returns the keys that expire within {@code horizon}. */
  private static List<String> survey(Resp connection, Duration horizon, Map<String, Tally> families) throws IOException {
    Set<String> seen = new HashSet<>();
    List<String> expiring = new ArrayList<>();
    String cursor = "0";
    do {
      List<?> page = (List<?>) connection.call("SCAN", cursor, "COUNT", Integer.toString(BATCH));
      cursor = (String) page.get(0);
      List<String> keys = new ArrayList<>();
      for (Object key : (List<?>) page.get(1)) {
        if (seen.add((String) key)) { // SCAN may return a key twice
          keys.add((String) key);
        }
      }
      List<String[]> questions = new ArrayList<>();
      keys.forEach(key -> {
        questions.add(new String[] {"PTTL", key});
        questions.add(new String[] {"MEMORY", "USAGE", key});
      });
      List<Object> answers = connection.pipeline(questions);
      for (int i = 0; i < keys.size(); i++) {
        long ttl = (Long) answers.get(2 * i);
        Object usage = answers.get(2 * i + 1);
        if (ttl == -2 || usage == null) {
          continue; // gone meanwhile
        }
        boolean kept = ttl == -1 || ttl >= horizon.toMillis();
        if (!kept) {
          expiring.add(keys.get(i));
        }
        families.computeIfAbsent(family(keys.get(i)), f -> new Tally()).add(ttl, (Long) usage, kept);
      }
    } while (!cursor.equals("0"));
    return expiring;
  }

  /** One family's figures while the keys are counted. */
  private static final class Tally {
    /** A key without a TTL outlives any other, so it counts as the longest while comparing. */
    private static final long NEVER = Long.MAX_VALUE;
    long keys;
    long bytes;
    long keptKeys;
    long keptBytes;
    long minTtl = Long.MAX_VALUE;
    long maxTtl = Long.MIN_VALUE;

    void add(long ttl, long usage, boolean kept) {
      keys++;
      bytes += usage;
      if (kept) {
        keptKeys++;
        keptBytes += usage;
      }
      long comparable = ttl == -1 ? NEVER : ttl;
      minTtl = Math.min(minTtl, comparable);
      maxTtl = Math.max(maxTtl, comparable);
    }

    Family family(String pattern) {
      return new Family(pattern, keys, bytes, keptKeys, keptBytes, minTtl == NEVER ? -1 : minTtl, maxTtl == NEVER ? -1 : maxTtl);
    }
  }

  /**
   * A key's family: each colon-separated part that looks like an id (it holds a digit, or it is 16
   * characters or longer: a wamid, a phone number, a BSUID, a generated key) becomes {@code *}, so
   * {@code wabot:dedup:wamid.BENCHIN42} and {@code wabot:dedup:wamid.BENCHIN43} are one family.
   */
  static String family(String key) {
    String[] parts = key.split(":", -1);
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].length() >= 16 || DIGIT.matcher(parts[i]).matches()) {
        parts[i] = "*";
      }
    }
    return String.join(":", parts);
  }
}
