package io.wabot.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux says about a process: resident memory from /proc/PID/status, CPU time from /proc/PID/stat. */
public final class ProcessStats {

  private static final long CLOCK_TICKS = clockTicks();

  private ProcessStats() {
  }

  /** Resident set size (VmRSS) in bytes, or -1 when the process is gone. */
  public static long rssBytes(long pid) {
    return statusField(pid, "VmRSS:");
  }

  /** The peak resident set size the kernel saw (VmHWM) in bytes, or -1. */
  public static long peakRssBytes(long pid) {
    return statusField(pid, "VmHWM:");
  }

  /** User plus system CPU time in milliseconds, or -1 when the process is gone. */
  public static long cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
      return ticks * 1000 / CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static long parseStatusField(String status, String field) {
    for (String line : status.split("\n")) {
      if (line.startsWith(field)) {
        String[] parts = line.substring(field.length()).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024; // the kernel reports kB
      }
    }
    return -1;
  }

  private static long statusField(long pid, String field) {
    try {
      return parseStatusField(Files.readString(Path.of("/proc", Long.toString(pid), "status")), field);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long clockTicks() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes()).trim();
      return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
