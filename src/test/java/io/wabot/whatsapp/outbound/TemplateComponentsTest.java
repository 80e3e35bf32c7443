package io.wabot.whatsapp.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.wabot.whatsapp.outbound.TemplateMessage.Component;
import io.wabot.whatsapp.outbound.TemplateMessage.Parameter;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Template components against the "Send message templates" examples of Meta's Cloud API reference. */
class TemplateComponentsTest {

  static final String TO = "16505551234";

  static JsonObject component(Component c) {
    return new TemplateMessage(TO, "t", "en_US", List.of(c)).content().getJsonArray("components").getJsonObject(0);
  }

  @Test
  @DisplayName("a template with a media header, positional body parameters of every kind, and buttons")
  void fullTemplate() {
    TemplateMessage message = new TemplateMessage(TO, "order_shipped", "en_US", List.of(
        Component.header(Parameter.document("https://cdn.example.com/invoice.pdf", "invoice.pdf")),
        Component.body(Parameter.text("Ana"), Parameter.currency("$100.99", "USD", 100990),
            Parameter.dateTime("February 25, 1977")),
        Component.quickReplyButton(0, "STOP"),
        Component.urlButton(1, "order/4521")));

    assertThat(message.toJson()).isEqualTo(new JsonObject("""
        {"messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234","type":"template",
         "template":{"name":"order_shipped","language":{"code":"en_US"},"components":[
          {"type":"header","parameters":[{"type":"document","document":{"link":"https://cdn.example.com/invoice.pdf","filename":"invoice.pdf"}}]},
          {"type":"body","parameters":[
            {"type":"text","text":"Ana"},
            {"type":"currency","currency":{"fallback_value":"$100.99","code":"USD","amount_1000":100990}},
            {"type":"date_time","date_time":{"fallback_value":"February 25, 1977"}}]},
          {"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"STOP"}]},
          {"type":"button","sub_type":"url","index":"1","parameters":[{"type":"text","text":"order/4521"}]}]}}"""));
  }

  @Test
  @DisplayName("headers: text, image, video, document by id, location")
  void headers() {
    assertThat(component(Component.header(Parameter.text("Your order")))).isEqualTo(new JsonObject("""
        {"type":"header","parameters":[{"type":"text","text":"Your order"}]}"""));
    assertThat(component(Component.header(Parameter.image("https://cdn.example.com/a.png")))).isEqualTo(new JsonObject("""
        {"type":"header","parameters":[{"type":"image","image":{"link":"https://cdn.example.com/a.png"}}]}"""));
    assertThat(component(Component.header(Parameter.video("https://cdn.example.com/a.mp4")))).isEqualTo(new JsonObject("""
        {"type":"header","parameters":[{"type":"video","video":{"link":"https://cdn.example.com/a.mp4"}}]}"""));
    assertThat(component(Component.header(Parameter.mediaId("document", "1013859600285441")))).isEqualTo(new JsonObject("""
        {"type":"header","parameters":[{"type":"document","document":{"id":"1013859600285441"}}]}"""));
    assertThat(component(Component.header(Parameter.location(37.483307, 122.148981, "Pablo Morales",
        "1 Hacker Way, Menlo Park, CA 94025")))).isEqualTo(new JsonObject("""
        {"type":"header","parameters":[{"type":"location","location":{"latitude":37.483307,"longitude":122.148981,
          "name":"Pablo Morales","address":"1 Hacker Way, Menlo Park, CA 94025"}}]}"""));
  }

  @Test
  @DisplayName("named body parameters carry parameter_name")
  void named() {
    assertThat(component(Component.body(Parameter.named("first_name", "Jessica"), Parameter.named("order_id", "SKBUP2-4CPIG9"))))
        .isEqualTo(new JsonObject("""
            {"type":"body","parameters":[
              {"type":"text","parameter_name":"first_name","text":"Jessica"},
              {"type":"text","parameter_name":"order_id","text":"SKBUP2-4CPIG9"}]}"""));
  }

  @Test
  @DisplayName("buttons: copy code, flow, catalog; and the limited-time offer")
  void buttonsAndOffer() {
    assertThat(component(Component.copyCodeButton(1, "25OFF"))).isEqualTo(new JsonObject("""
        {"type":"button","sub_type":"copy_code","index":"1","parameters":[{"type":"coupon_code","coupon_code":"25OFF"}]}"""));
    assertThat(component(Component.flowButton(0, "tok-1", new JsonObject().put("item", "SKU-1")))).isEqualTo(new JsonObject("""
        {"type":"button","sub_type":"flow","index":"0","parameters":[{"type":"action",
          "action":{"flow_token":"tok-1","flow_action_data":{"item":"SKU-1"}}}]}"""));
    assertThat(component(Component.catalogButton(0, "2lc20305pt"))).isEqualTo(new JsonObject("""
        {"type":"button","sub_type":"CATALOG","index":"0","parameters":[{"type":"action",
          "action":{"thumbnail_product_retailer_id":"2lc20305pt"}}]}"""));
    assertThat(component(Component.limitedTimeOffer(1209600000L))).isEqualTo(new JsonObject("""
        {"type":"limited_time_offer","parameters":[{"type":"limited_time_offer",
          "limited_time_offer":{"expiration_time_ms":1209600000}}]}"""));
  }

  @Test
  @DisplayName("bad components are refused by name: mixes, repeats, wrong kinds, long header text, new lines")
  void refused() {
    assertThatThrownBy(() -> Component.body(Parameter.text("a"), Parameter.named("b", "b")))
        .isInstanceOf(InvalidMessageException.class).hasMessageContaining("all positional or all named");
    assertThatThrownBy(() -> Component.body(Parameter.named("a", "1"), Parameter.named("a", "2"))).hasMessageContaining("\"a\" is given twice");
    assertThatThrownBy(() -> Component.body(Parameter.text("line one\nline two"))).hasMessageContaining("new line");
    assertThatThrownBy(() -> Component.body(Parameter.text("a     b"))).hasMessageContaining("more than 4 spaces");
    assertThatThrownBy(() -> Component.body(Parameter.image("https://a.example/x.png"))).hasMessageContaining("text, currency or date_time");
    assertThatThrownBy(() -> Component.header(Parameter.payload("x"))).hasMessageContaining("template header parameter must be");
    assertThatThrownBy(() -> new TemplateMessage(TO, "t", "en", List.of(Component.header(Parameter.text("x".repeat(61))))))
        .hasMessageContaining("template header text parameter").hasMessageContaining("at most 60");
    assertThatThrownBy(() -> Component.copyCodeButton(0, "x".repeat(16))).hasMessageContaining("coupon code").hasMessageContaining("at most 15");
    assertThatThrownBy(() -> Component.urlButton(10, "x")).hasMessageContaining("index 10 is outside 0..9");
    assertThatThrownBy(() -> new Component("button", "url", 0, List.of(Parameter.payload("x"))))
        .hasMessageContaining("url button 0 takes a text parameter, not payload");
    assertThatThrownBy(() -> new Component("button", "voice_call", 0, List.of(Parameter.text("x")))).hasMessageContaining("sub_type \"voice_call\"");
    assertThatThrownBy(() -> new Component("footer", null, null, List.of())).hasMessageContaining("\"footer\" is not one of");
    assertThatThrownBy(() -> new TemplateMessage(TO, "t", "en", List.of(Component.quickReplyButton(0, "a"), Component.urlButton(0, "b"))))
        .hasMessageContaining("index 0 is given twice");
    assertThatThrownBy(() -> new TemplateMessage(TO, "t", "en", List.of(Component.body(), Component.body()))).hasMessageContaining("one body");
    assertThatThrownBy(() -> Parameter.named("First Name", "Ana")).hasMessageContaining("parameter_name must be lowercase");
    assertThatThrownBy(() -> Parameter.currency("$1", "dollars", 1000)).hasMessageContaining("ISO 4217");
    assertThatThrownBy(() -> Parameter.location(100, 0, null, null)).hasMessageContaining("template header location latitude");
    assertThatThrownBy(() -> Parameter.image("file:///etc/passwd")).hasMessageContaining("http(s) URL");
    assertThatThrownBy(() -> Component.limitedTimeOffer(0)).hasMessageContaining("expiration_time_ms");
  }

  @Test
  @DisplayName("the language fallback changes language.code of a queued request and keeps every component")
  void languageFallback() {
    JsonObject queued = new TemplateMessage(TO, "order_shipped", "es_MX", List.of(
        Component.body(Parameter.named("first_name", "Ana")), Component.urlButton(0, "4521"))).toJson();

    JsonObject retry = TemplateMessage.inLanguage(queued, "es");

    assertThat(TemplateMessage.languageOf(retry)).isEqualTo("es");
    assertThat(TemplateMessage.languageOf(queued)).as("the queued body is not changed").isEqualTo("es_MX");
    JsonObject expected = queued.copy();
    expected.getJsonObject("template").put("language", new JsonObject().put("code", "es"));
    assertThat(retry).isEqualTo(expected);
    assertThatThrownBy(() -> TemplateMessage.inLanguage(OutboundMessage.text(TO, "hi").toJson(), "es"))
        .hasMessageContaining("only a template request");
  }
}
