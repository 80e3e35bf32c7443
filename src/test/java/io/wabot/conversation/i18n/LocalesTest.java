package io.wabot.conversation.i18n;

import io.wabot.common.Locales;
import io.wabot.example.sales.SalesBot;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class LocalesTest {

  @Test
  @DisplayName("the locale comes from the calling code, longest match first, English by default")
  void byCallingCode() {
    assertThat(SalesBot.LOCALES.fromNumber("5215512345678", "en")).isEqualTo("es_MX");
    assertThat(SalesBot.LOCALES.fromNumber("34612345678", "en")).isEqualTo("es");
    assertThat(SalesBot.LOCALES.fromNumber("5491123456789", "en")).isEqualTo("es");
    assertThat(SalesBot.LOCALES.fromNumber("593991234567", "en")).isEqualTo("es");
    assertThat(SalesBot.LOCALES.fromNumber("17875551234", "en")).isEqualTo("es");
    assertThat(SalesBot.LOCALES.fromNumber("16505551234", "en")).isEqualTo("en");
    assertThat(SalesBot.LOCALES.fromNumber("447700900123", "en")).isEqualTo("en");
    assertThat(SalesBot.LOCALES.fromNumber("5511987654321", "en")).isEqualTo("en");
  }

  @Test
  @DisplayName("the chain goes region → language → default")
  void chain() {
    assertThat(Locales.chain("es_MX", "en")).containsExactly("es_MX", "es", "en");
    assertThat(Locales.chain("en", "en")).containsExactly("en");
  }
}
