package io.wabot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NamesTest {

  @Test
  @DisplayName("the first word that looks like a name, cleaned of what is not a letter; null when there is none")
  void first() {
    assertThat(Names.first("Ana María López")).isEqualTo("Ana");
    assertThat(Names.first("  \t José-Luis\n Pérez")).isEqualTo("José-Luis");
    assertThat(Names.first("🙂 ... O'Neil")).isEqualTo("O'Neil");
    assertThat(Names.first("Dr.Who")).isEqualTo("DrWho");
    assertThat(Names.first("1234 ✨")).isNull();
    assertThat(Names.first("Abcdefghijklmnopqrstuvwxyzabc")).hasSize(25);
    assertThat(Names.first(null)).isNull();
  }
}
