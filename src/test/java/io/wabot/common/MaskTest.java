package io.wabot.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MaskTest {

  @Test
  @DisplayName("a phone number keeps its last four digits, however it is written; four or fewer keep none")
  void phone() {
    assertThat(Mask.phone("16505551234")).isEqualTo("****1234");
    assertThat(Mask.phone("+1 (650) 555-1234")).isEqualTo("****1234");
    assertThat(Mask.phone("12-345")).isEqualTo("****2345");
    assertThat(Mask.phone("1234")).isEqualTo("****");
    assertThat(Mask.phone("12a34")).isEqualTo("****");
    assertThat(Mask.phone("abc")).isEqualTo("****");
    assertThat(Mask.phone("")).isEmpty();
    assertThat(Mask.phone(null)).isEmpty();
  }
}
