package io.wabot.testing;

import java.util.Map;
import java.util.TreeMap;

/**
 * Redis's {@code INFO commandstats}, read as calls per command: how tests count the commands a piece of work
 * costs (Lua scripts' own commands included, each in its row). Names as Redis gives them, subcommands too
 * ({@code config|resetstat}).
 */
public final class CommandStats {

  private CommandStats() {
  }

  /** Calls per command name in an {@code INFO commandstats} answer. */
  public static Map<String, Long> calls(String info) {
    Map<String, Long> calls = new TreeMap<>();
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_")) {
        String name = line.substring("cmdstat_".length(), line.indexOf(':'));
        calls.put(name, Long.parseLong(line.substring(line.indexOf("calls=") + "calls=".length(), line.indexOf(','))));
      }
    }
    return calls;
  }
}
