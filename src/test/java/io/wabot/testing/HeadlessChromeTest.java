package io.wabot.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HeadlessChromeTest {

  @Test
  @DisplayName("a browser that is nowhere to be found fails with the places looked at and the variable to set")
  void namesTheVariable() {
    assertThatThrownBy(() -> HeadlessChrome.executable("WABOT_TEST_UNSET_BROWSER", List.of("/nonexistent/chromium"),
        "chromium", "apt-get install chromium"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/nonexistent/chromium")
        .hasMessageContaining("set WABOT_TEST_UNSET_BROWSER to its path")
        .hasMessageContaining("apt-get install chromium");
  }
}
