package io.wabot.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The process's resident set size (RSS), the figure PF-002 budgets, read from {@code /proc/self/status}.
 * That file lives in memory, so reading it costs microseconds and never waits on a disk.
 */
public final class ProcessMemory {

  static final Path STATUS = Path.of("/proc/self/status");
  private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+)\\s*kB\\s*$");

  private ProcessMemory() {
  }

  /** RSS in bytes; empty where {@code /proc} does not exist (macOS, Windows). */
  public static OptionalLong residentBytes() {
    try {
      return parseStatus(Files.readString(STATUS));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  static OptionalLong parseStatus(String status) {
    Matcher m = VM_RSS.matcher(status);
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
  }
}
