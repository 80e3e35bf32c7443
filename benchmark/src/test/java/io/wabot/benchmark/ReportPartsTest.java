package io.wabot.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportPartsTest {

  @Test
  void readsMemoryFromProcStatus() {
    String status = "Name:\tjava\nVmHWM:\t  204800 kB\nVmRSS:\t  150000 kB\nThreads:\t30\n";
    assertThat(ProcessStats.parseStatusField(status, "VmRSS:")).isEqualTo(150_000L * 1024);
    assertThat(ProcessStats.parseStatusField(status, "VmHWM:")).isEqualTo(204_800L * 1024);
    assertThat(ProcessStats.parseStatusField(status, "VmSwap:")).isEqualTo(-1);
    assertThat(ProcessStats.cpuMillis(ProcessHandle.current().pid())).isPositive();
    assertThat(ProcessStats.rssBytes(ProcessHandle.current().pid())).isGreaterThan(10L * 1024 * 1024);
  }

  @Test
  void chartsAreSelfContainedSvg() {
    String svg = Svg.lineChart("Latency <by> percentile", "percentile", "ms",
        List.of(new Svg.Series("measured", List.of(new double[] {0, 1.5}, new double[] {1, 12}))), List.of("50", "99"),
        List.of(new Svg.Threshold("p95 target 50 ms", 50)));
    assertThat(svg).startsWith("<svg xmlns='http://www.w3.org/2000/svg'").endsWith("</svg>")
        .contains("Latency &lt;by&gt; percentile").contains("p95 target 50 ms").doesNotContain("<script").containsOnlyOnce("http://");
    assertThat(Svg.niceCeiling(73)).isEqualTo(100);
    assertThat(Svg.niceCeiling(180)).isEqualTo(200);
    assertThat(Svg.niceCeiling(0.35)).isEqualTo(0.4);
    assertThat(Svg.niceCeiling(275)).isEqualTo(300);
    assertThat(Svg.barChart("h", "ms", "n", new int[] {3, 0, 1}, List.of("0", "1", "2"), 1)).contains("<rect");
  }
}
