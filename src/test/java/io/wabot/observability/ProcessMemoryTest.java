package io.wabot.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

  @Test
  @DisplayName("VmRSS is read from /proc/self/status in bytes")
  void parsesVmRss() {
    String status = "Name:\tjava\nVmPeak:\t 4000000 kB\nVmRSS:\t  183456 kB\nRssAnon:\t  150000 kB\n";
    assertThat(ProcessMemory.parseStatus(status)).hasValue(183_456L * 1024);
    assertThat(ProcessMemory.parseStatus("Name:\tjava\n")).isEqualTo(OptionalLong.empty());
  }

  @Test
  @DisplayName("on Linux this process's RSS is a plausible number")
  void readsOwnRss() {
    if (java.nio.file.Files.exists(ProcessMemory.STATUS)) {
      assertThat(ProcessMemory.residentBytes().orElseThrow()).isBetween(10L * 1024 * 1024, 64L * 1024 * 1024 * 1024);
    }
  }
}
