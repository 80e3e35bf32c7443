package io.wabot.customer;

import io.wabot.common.CustomerIds;
import io.wabot.common.Mask;
import io.wabot.example.sales.SalesBot;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class CustomerIdentityTest {

  static final String BSUID = "US.13491208655302741918";

  @Test
  @DisplayName("the formats: phone numbers, BSUIDs and parent BSUIDs are told apart and never confused")
  void formats() {
    assertThat(CustomerIds.isPhone("16505551234")).isTrue();
    assertThat(CustomerIds.phone("+16505551234")).isEqualTo("16505551234");
    assertThat(CustomerIds.isPhone(BSUID)).isFalse();
    assertThat(CustomerIds.isBsuid(BSUID)).isTrue();
    assertThat(CustomerIds.isBsuid("US.ENT.11815799212886844830")).isFalse();
    assertThat(CustomerIds.isParentBsuid("US.ENT.11815799212886844830")).isTrue();
    assertThat(CustomerIds.isBsuid("us.1349")).as("two capital letters").isFalse();
    assertThat(CustomerIds.isBsuid("US." + "1".repeat(129))).as("at most 128 characters").isFalse();
    assertThat(CustomerIds.isBsuid("US.")).isFalse();
    assertThat(CustomerIds.country("MX.123")).isEqualTo("MX");
    assertThat(CustomerIds.country("16505551234")).isNull();
    assertThat(CustomerIds.username("  @sheena ")).isEqualTo("@sheena");
    assertThat(CustomerIds.username("@" + "x".repeat(64))).isNull();
  }

  @Test
  @DisplayName("replies go to the phone number when known, else the BSUID, else the parent BSUID")
  void address() {
    assertThat(CustomerIdentity.of(BSUID, null, "16505551234", null).address()).isEqualTo("16505551234");
    assertThat(CustomerIdentity.of(BSUID, "US.ENT.1", null, "@s").address()).isEqualTo(BSUID);
    assertThat(CustomerIdentity.of(null, "US.ENT.1", null, null).address()).isEqualTo("US.ENT.1");
    assertThat(CustomerIdentity.of(null, null, null, "@s").isEmpty()).as("a username alone names nobody").isTrue();
    assertThat(CustomerIdentity.ofAddress("k", BSUID)).isEqualTo(new CustomerIdentity("k", BSUID, null, null, null));
    assertThat(CustomerIdentity.ofAddress("k", "16505551234").phone()).isEqualTo("16505551234");
  }

  @Test
  @DisplayName("BSUIDs and usernames are masked like phone numbers, also in the identity's own toString")
  void masking() {
    assertThat(Mask.bsuid(BSUID)).isEqualTo("US.****1918");
    assertThat(Mask.bsuid("US.ENT.11815799212886844830")).isEqualTo("US.ENT.****4830");
    assertThat(Mask.bsuid("US.1234")).isEqualTo("US.****");
    assertThat(Mask.username("@realsheenanelson")).isEqualTo("@r****");
    assertThat(Mask.address("16505551234")).isEqualTo("****1234");
    assertThat(Mask.address(BSUID)).isEqualTo("US.****1918");
    CustomerIdentity sheena = new CustomerIdentity("c_key", BSUID, null, null, "@realsheenanelson");
    assertThat(sheena.masked()).isEqualTo("US.****1918");
    assertThat(sheena.toString()).doesNotContain("13491208655302741918").doesNotContain("realsheenanelson");
    assertThat(CustomerDirectory.maskKey("16505551234")).isEqualTo("****1234");
    assertThat(CustomerDirectory.maskKey("c_abc")).isEqualTo("c_abc");
  }

  @Test
  @DisplayName("without a phone number the BSUID's country prefix gives the default locale, from the same table as calling codes")
  void locale() {
    assertThat(SalesBot.LOCALES.forCustomer(CustomerIdentity.of("MX.1234", null, null, null), "en")).isEqualTo("es_MX");
    assertThat(SalesBot.LOCALES.forCustomer(CustomerIdentity.of("ES.1234", null, null, null), "en")).isEqualTo("es");
    assertThat(SalesBot.LOCALES.forCustomer(CustomerIdentity.of("DO.1234", null, null, null), "en")).isEqualTo("es");
    assertThat(SalesBot.LOCALES.forCustomer(CustomerIdentity.of("US.5212345", null, null, null), "en"))
        .as("a BSUID's digits are not a calling code").isEqualTo("en");
    assertThat(SalesBot.LOCALES.forCustomer(CustomerIdentity.of(null, "CO.ENT.1", null, null), "en")).isEqualTo("es");
    assertThat(SalesBot.LOCALES.forCustomer(CustomerIdentity.of("US.1234", null, "5215512345678", null), "en"))
        .as("the phone number, when known, decides").isEqualTo("es_MX");
    assertThat(SalesBot.LOCALES.fromNumber("18095551234", "en")).isEqualTo(SalesBot.LOCALES.fromCountry("DO", "en"));
  }
}
