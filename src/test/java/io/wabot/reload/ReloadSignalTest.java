package io.wabot.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SIGHUP in JVMs of their own ({@link SighupProbe}): one started as usual, one started with the signal ignored. */
class ReloadSignalTest {

  /** Starts the probe through {@code sh}, {@code ignoreHup} as {@code nohup} would start it; returns its output. */
  private static List<String> probe(boolean ignoreHup) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command = (ignoreHup ? "trap '' HUP; " : "") + "exec \"$0\" -cp \"$1\" -Dlogback.configurationFile=logback-text.xml "
        + SighupProbe.class.getName();
    Process child = new ProcessBuilder("sh", "-c", command, java, System.getProperty("java.class.path"))
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> lines = new java.util.ArrayList<>();
      String first = readLineSkippingLogs(out, lines);
      if (first != null && first.startsWith("INSTALLED ")) {
        Process kill = new ProcessBuilder("kill", "-HUP", first.substring("INSTALLED ".length())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        readLineSkippingLogs(out, lines);
      }
      assertThat(child.waitFor(40, TimeUnit.SECONDS)).as("the probe ended: %s", lines).isTrue();
      out.lines().forEach(lines::add); // what it logged after, asynchronously
      return lines;
    } finally {
      child.destroyForcibly();
    }
  }

  /** The next line that is the probe's own (its log lines, which start otherwise, are kept too). */
  private static String readLineSkippingLogs(BufferedReader out, List<String> lines) throws Exception {
    String line;
    while ((line = out.readLine()) != null) {
      lines.add(line);
      if (line.startsWith("INSTALLED") || line.startsWith("UNAVAILABLE") || line.startsWith("RELOADED")
          || line.startsWith("NO SIGNAL")) {
        return line;
      }
    }
    return null;
  }

  @Test
  @DisplayName("a real SIGHUP calls the installed handler")
  void signalHandled() throws Exception {
    List<String> output = probe(false);
    assertThat(output).as("%s", output).anyMatch(l -> l.startsWith("INSTALLED")).contains("RELOADED");
  }

  @Test
  @DisplayName("a process started with SIGHUP ignored (nohup) is told, with a warning, that the signal cannot reload")
  void ignoredSignalReported() throws Exception {
    List<String> output = probe(true);
    assertThat(output).as("%s", output).contains("UNAVAILABLE")
        .anyMatch(l -> l.contains("config.reload_signal_unavailable") && l.contains("ignored by this process"));
  }
}
