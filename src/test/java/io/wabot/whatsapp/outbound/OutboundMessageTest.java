package io.wabot.whatsapp.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.wabot.whatsapp.outbound.ListMessage.Row;
import io.wabot.whatsapp.outbound.ListMessage.Section;
import io.wabot.whatsapp.outbound.TemplateMessage.Component;
import io.wabot.whatsapp.outbound.TemplateMessage.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OutboundMessageTest {

  static final String TO = "16505551234";

  static String chars(int n) {
    return "x".repeat(n);
  }

  static List<Row> rows(int n, String prefix) {
    return IntStream.range(0, n).mapToObj(i -> new Row(prefix + i, "Item " + prefix + i, null)).toList();
  }

  @Nested
  class Text {

    @Test
    @DisplayName("text is the Cloud API body: individual recipient, type text, preview_url and body")
    void shape() {
      JsonObject json = OutboundMessage.text(TO, "Hi there").toJson();

      assertThat(json).isEqualTo(new JsonObject("""
          {"messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234","type":"text",
           "text":{"preview_url":false,"body":"Hi there"}}"""));
    }

    @Test
    @DisplayName("a reply quotes the customer's message through context.message_id")
    void replyTo() {
      JsonObject json = new TextMessage(TO, "Yes", true, "wamid.IN").toJson();

      assertThat(json.getJsonObject("context")).isEqualTo(new JsonObject().put("message_id", "wamid.IN"));
      assertThat(json.getJsonObject("text").getBoolean("preview_url")).isTrue();
    }

    @Test
    @DisplayName("text up to 4096 characters is fine; 4097 is refused with the limit named")
    void limit() {
      assertThat(OutboundMessage.text(TO, chars(4096)).body()).hasSize(4096);
      assertThatThrownBy(() -> OutboundMessage.text(TO, chars(4097)))
          .isInstanceOf(InvalidMessageException.class)
          .hasMessageContaining("text body").hasMessageContaining("4097").hasMessageContaining("at most 4096");
    }

    @Test
    @DisplayName("limits count characters, not UTF-16 units: 4096 emoji fit")
    void codePoints() {
      assertThat(OutboundMessage.text(TO, "😀".repeat(4096)).body()).isNotEmpty();
      assertThatThrownBy(() -> OutboundMessage.text(TO, "😀".repeat(4097)))
          .isInstanceOf(InvalidMessageException.class)
          .hasMessageContaining("is 4097 characters")
          .as("the text itself never reaches the message: it may be a customer's words").hasMessageNotContaining("😀");
    }

    @Test
    @DisplayName("an empty body or a recipient that is not a WhatsApp id is refused")
    void required() {
      assertThatThrownBy(() -> OutboundMessage.text(TO, " ")).hasMessageContaining("text body must not be empty");
      assertThatThrownBy(() -> OutboundMessage.text("alice", "hi")).hasMessageContaining("neither a phone number");
      assertThatThrownBy(() -> OutboundMessage.text("1650555123456789012345", "hi")).hasMessageContaining("neither a phone number")
          .as("a phone number is masked").hasMessageNotContaining("16505551234");
      assertThatThrownBy(() -> OutboundMessage.text(null, "hi")).isInstanceOf(InvalidMessageException.class);
    }
  }

  @Nested
  class Buttons {

    List<Button> three = List.of(new Button("yes", "Yes"), new Button("no", "No"), new Button("human", "Talk to a person"));

    @Test
    @DisplayName("reply buttons have the Cloud API shape, with header and footer when given")
    void shape() {
      JsonObject json = new ButtonsMessage(TO, "Head", "Pick one", "Foot", three).toJson();

      assertThat(json.getString("type")).isEqualTo("interactive");
      assertThat(json.getJsonObject("interactive")).isEqualTo(new JsonObject("""
          {"type":"button","header":{"type":"text","text":"Head"},"body":{"text":"Pick one"},"footer":{"text":"Foot"},
           "action":{"buttons":[
             {"type":"reply","reply":{"id":"yes","title":"Yes"}},
             {"type":"reply","reply":{"id":"no","title":"No"}},
             {"type":"reply","reply":{"id":"human","title":"Talk to a person"}}]}}"""));
      assertThat(new ButtonsMessage(TO, "Pick", three).toJson().getJsonObject("interactive").fieldNames())
          .containsExactlyInAnyOrder("type", "body", "action");
    }

    @Test
    @DisplayName("at most 3 buttons, at least 1")
    void count() {
      List<Button> four = new ArrayList<>(three);
      four.add(new Button("later", "Later"));
      assertThatThrownBy(() -> new ButtonsMessage(TO, "Pick", four))
          .isInstanceOf(InvalidMessageException.class).hasMessageContaining("4 given").hasMessageContaining("1 to 3");
      assertThatThrownBy(() -> new ButtonsMessage(TO, "Pick", List.of())).hasMessageContaining("0 given");
    }

    @Test
    @DisplayName("button titles are at most 20 characters and unique; ids unique and at most 256")
    void titles() {
      assertThat(new Button("a", chars(20)).title()).hasSize(20);
      assertThatThrownBy(() -> new Button("a", chars(21)))
          .hasMessageContaining("button title").hasMessageContaining("at most 20");
      assertThatThrownBy(() -> new ButtonsMessage(TO, "Pick", List.of(new Button("a", "Same"), new Button("b", "Same"))))
          .hasMessageContaining("\"Same\" is used twice");
      assertThatThrownBy(() -> new ButtonsMessage(TO, "Pick", List.of(new Button("a", "One"), new Button("a", "Two"))))
          .hasMessageContaining("button id \"a\" is used twice");
      assertThat(new Button(chars(256), "ok").id()).hasSize(256);
      assertThatThrownBy(() -> new Button(chars(257), "ok")).hasMessageContaining("at most 256");
    }

    @Test
    @DisplayName("interactive body at most 1024, footer and header at most 60")
    void texts() {
      assertThat(new ButtonsMessage(TO, chars(60), chars(1024), chars(60), three).body()).hasSize(1024);
      assertThatThrownBy(() -> new ButtonsMessage(TO, chars(1025), three))
          .hasMessageContaining("interactive body").hasMessageContaining("at most 1024");
      assertThatThrownBy(() -> new ButtonsMessage(TO, null, "Pick", chars(61), three))
          .hasMessageContaining("footer").hasMessageContaining("at most 60");
      assertThatThrownBy(() -> new ButtonsMessage(TO, chars(61), "Pick", null, three))
          .hasMessageContaining("header").hasMessageContaining("at most 60");
    }
  }

  @Nested
  class Lists {

    @Test
    @DisplayName("a list has the Cloud API shape: button label and sections of rows, descriptions only when given")
    void shape() {
      ListMessage list = new ListMessage(TO, null, "Our phones", "Prices incl. VAT", "See phones", List.of(
          new Section("Phones", List.of(new Row("sku-1", "Pixel 9", "In stock, 799 EUR"), new Row("sku-2", "iPhone 16", null)))));

      assertThat(list.toJson().getJsonObject("interactive")).isEqualTo(new JsonObject("""
          {"type":"list","body":{"text":"Our phones"},"footer":{"text":"Prices incl. VAT"},
           "action":{"button":"See phones","sections":[{"title":"Phones","rows":[
             {"id":"sku-1","title":"Pixel 9","description":"In stock, 799 EUR"},
             {"id":"sku-2","title":"iPhone 16"}]}]}}"""));
    }

    @Test
    @DisplayName("at most 10 rows in all sections together")
    void tenRowsInAll() {
      assertThat(ListMessage.of(TO, "Pick", "Open", rows(10, "r")).sections().get(0).rows()).hasSize(10);
      assertThatThrownBy(() -> ListMessage.of(TO, "Pick", "Open", rows(11, "r")))
          .isInstanceOf(InvalidMessageException.class).hasMessageContaining("11 given");
      assertThatThrownBy(() -> new ListMessage(TO, null, "Pick", null, "Open",
          List.of(new Section("A", rows(6, "a")), new Section("B", rows(5, "b")))))
          .hasMessageContaining("11 given in all sections").hasMessageContaining("at most 10");
    }

    @Test
    @DisplayName("row titles at most 24, descriptions at most 72, ids at most 200 and unique")
    void rowLimits() {
      assertThat(new Row("id", chars(24), chars(72)).title()).hasSize(24);
      assertThatThrownBy(() -> new Row("id", chars(25), null)).hasMessageContaining("row title").hasMessageContaining("at most 24");
      assertThatThrownBy(() -> new Row("id", "t", chars(73)))
          .hasMessageContaining("row description").hasMessageContaining("at most 72");
      assertThatThrownBy(() -> new Row(chars(201), "t", null)).hasMessageContaining("at most 200");
      assertThatThrownBy(() -> ListMessage.of(TO, "Pick", "Open", List.of(new Row("same", "A", null), new Row("same", "B", null))))
          .hasMessageContaining("row id \"same\" is used twice");
    }

    @Test
    @DisplayName("the button label is at most 20 characters; several sections each need a title")
    void labelAndSections() {
      assertThatThrownBy(() -> ListMessage.of(TO, "Pick", chars(21), rows(2, "r")))
          .hasMessageContaining("list button label").hasMessageContaining("at most 20");
      assertThatThrownBy(() -> new ListMessage(TO, null, "Pick", null, "Open",
          List.of(new Section("A", rows(2, "a")), new Section(null, rows(2, "b")))))
          .hasMessageContaining("needs a title on each section");
      assertThatThrownBy(() -> new Section(chars(25), rows(1, "a"))).hasMessageContaining("section title");
      assertThatThrownBy(() -> ListMessage.of(TO, chars(1025), "Open", rows(1, "a"))).hasMessageContaining("at most 1024");
    }
  }

  @Nested
  class Others {

    @Test
    @DisplayName("a template carries name, language code and components as field-notes show")
    void template() {
      TemplateMessage template = new TemplateMessage(TO, "order_update", "es_MX", List.of(
          Component.header(Parameter.imageLink("https://example.com/p.jpg")),
          Component.body(Parameter.text("Ana"), Parameter.text("#123")),
          Component.quickReplyButton(0, "STOP")));

      assertThat(template.toJson()).isEqualTo(new JsonObject("""
          {"messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234","type":"template",
           "template":{"name":"order_update","language":{"code":"es_MX"},"components":[
             {"type":"header","parameters":[{"type":"image","image":{"link":"https://example.com/p.jpg"}}]},
             {"type":"body","parameters":[{"type":"text","text":"Ana"},{"type":"text","text":"#123"}]},
             {"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"STOP"}]}]}}"""));
      assertThat(template.inLanguage("es").toJson().getJsonObject("template").getJsonObject("language").getString("code"))
          .isEqualTo("es");
      assertThat(new TemplateMessage(TO, "hello_world", "en_US", null).toJson().getJsonObject("template").fieldNames())
          .containsExactlyInAnyOrder("name", "language");
      assertThatThrownBy(() -> new TemplateMessage(TO, "x", " ", List.of())).hasMessageContaining("template language code");
    }

    @Test
    @DisplayName("a reaction names the message and the emoji; an empty emoji removes it")
    void reaction() {
      assertThat(new ReactionMessage(TO, "wamid.IN", "👍").toJson().getJsonObject("reaction"))
          .isEqualTo(new JsonObject().put("message_id", "wamid.IN").put("emoji", "👍"));
      assertThat(new ReactionMessage(TO, "wamid.IN", null).toJson().getJsonObject("reaction").getString("emoji")).isEmpty();
      assertThatThrownBy(() -> new ReactionMessage(TO, null, "👍")).hasMessageContaining("reaction message id");
    }

    @Test
    @DisplayName("media goes by id or by link under its kind, with caption and file name where allowed")
    void media() {
      assertThat(MediaMessage.byId(TO, "image", "1234567890", "Front view").toJson())
          .isEqualTo(new JsonObject("""
              {"messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234","type":"image",
               "image":{"id":"1234567890","caption":"Front view"}}"""));
      assertThat(new MediaMessage(TO, "document", null, "https://example.com/a.pdf", "Spec", "spec.pdf").toJson()
          .getJsonObject("document"))
          .isEqualTo(new JsonObject().put("link", "https://example.com/a.pdf").put("caption", "Spec").put("filename", "spec.pdf"));
      assertThatThrownBy(() -> MediaMessage.byId(TO, "audio", "1", "caption")).hasMessageContaining("caption is only allowed");
      assertThatThrownBy(() -> new MediaMessage(TO, "image", "1", "https://x.y/z.png", null, null))
          .hasMessageContaining("exactly one of");
      assertThatThrownBy(() -> MediaMessage.byLink(TO, "image", "ftp://x/y.png", null)).hasMessageContaining("http(s) URL");
      assertThatThrownBy(() -> MediaMessage.byId(TO, "gif", "1", null)).hasMessageContaining("media kind");
      assertThatThrownBy(() -> MediaMessage.byId(TO, "image", "1", chars(1025))).hasMessageContaining("at most 1024");
    }

    @Test
    @DisplayName("mark-as-read with the typing indicator has the Cloud API shape")
    void markAsRead() {
      assertThat(new MarkAsRead("wamid.IN", true).toJson()).isEqualTo(new JsonObject("""
          {"messaging_product":"whatsapp","status":"read","message_id":"wamid.IN","typing_indicator":{"type":"text"}}"""));
      assertThat(new MarkAsRead("wamid.IN", false).toJson().containsKey("typing_indicator")).isFalse();
    }

    @Test
    @DisplayName("an outbound job carries the body, address, customer, locale and receipt time; read receipts get their own conversation")
    void jobs() {
      var job = OutboundJobs.message("wamid.IN:r0", OutboundMessage.text(TO, "Hi"), "c_sam",
          io.wabot.observability.Correlation.ofInbound("wamid.IN", TO), "es", 1234L, null);
      assertThat(job.conversationId()).as("the customer's conversation key, not the phone number").isEqualTo("c_sam");
      assertThat(job.payload().getString("to")).isEqualTo(TO);
      assertThat(job.payload().getString("customer")).isEqualTo("c_sam");
      assertThat(OutboundJob.decode(job.payload(), "").kind()).isEqualTo(OutboundJob.KIND_MESSAGE);
      assertThat(OutboundJob.decode(job.payload(), "").body()).isEqualTo(OutboundMessage.text(TO, "Hi").toJson());
      assertThat(job.payload().getString("locale")).isEqualTo("es");
      assertThat(job.payload().getLong("receivedAtMs")).isEqualTo(1234L);
      assertThat(job.payload().getJsonObject("correlation").getString("customer")).isEqualTo("****1234");

      var read = OutboundJobs.markAsRead("wamid.IN:read", "c_sam", new MarkAsRead("wamid.IN", true),
          io.wabot.observability.Correlation.ofInbound("wamid.IN", TO), null);
      assertThat(read.conversationId()).isEqualTo("read:c_sam");
      assertThat(OutboundJob.decode(read.payload(), "").kind()).isEqualTo(OutboundJob.KIND_READ);
    }
  }
}
