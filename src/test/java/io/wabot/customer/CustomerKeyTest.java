package io.wabot.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CustomerKeyTest {

  @Test
  @DisplayName("a new customer key is c_ and 20 characters of the 32-letter alphabet, each as likely, never repeated")
  void newKeys() {
    Set<String> keys = new HashSet<>();
    Map<Character, Integer> counts = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      String key = CustomerDirectory.newKey();
      assertThat(key).matches("c_[a-z2-7]{20}");
      keys.add(key);
      key.substring(2).chars().forEach(c -> counts.merge((char) c, 1, Integer::sum));
    }
    assertThat(keys).hasSize(10_000);
    // 200,000 characters: 6,250 of each expected; a character 10% off that is over 13 standard deviations away.
    assertThat(counts).hasSize(32);
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(5_625, 6_875));
  }
}
