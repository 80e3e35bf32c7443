package io.wabot.whatsapp.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.whatsapp.outbound.CarouselMessage.Card;
import io.wabot.whatsapp.outbound.ContactsMessage.Address;
import io.wabot.whatsapp.outbound.ContactsMessage.Contact;
import io.wabot.whatsapp.outbound.ContactsMessage.Email;
import io.wabot.whatsapp.outbound.ContactsMessage.Org;
import io.wabot.whatsapp.outbound.ContactsMessage.Phone;
import io.wabot.whatsapp.outbound.ContactsMessage.Url;
import io.wabot.whatsapp.outbound.ProductListMessage.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every builder against the request body of Meta's Cloud API message reference
 * (developers.facebook.com/docs/whatsapp/cloud-api/messages/…), and its limits refused by name.
 */
class MessageTypesTest {

  static final String TO = "16505551234";
  static final String ENVELOPE = """
      "messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234",""";
  static final String CATALOG = "367025965434465";

  static JsonObject expected(String rest) {
    return new JsonObject("{" + ENVELOPE + rest + "}");
  }

  @Nested
  class CtaUrl {

    @Test
    @DisplayName("cta_url: header, body, footer and a button with display_text and url")
    void shape() {
      JsonObject json = new CtaUrlMessage(TO, "Order status", "Track your parcel here.", "Reply STOP to opt out",
          "Track it", "https://shop.example.com/track?o=42").toJson();

      assertThat(json).isEqualTo(expected("""
          "type":"interactive","interactive":{"type":"cta_url",
           "header":{"type":"text","text":"Order status"},"body":{"text":"Track your parcel here."},
           "footer":{"text":"Reply STOP to opt out"},
           "action":{"name":"cta_url","parameters":{"display_text":"Track it","url":"https://shop.example.com/track?o=42"}}}"""));
    }

    @Test
    @DisplayName("button text over 20 characters, a missing body or a non-http url is refused by name")
    void limits() {
      assertThatThrownBy(() -> new CtaUrlMessage(TO, "Body", "x".repeat(21), "https://a.example"))
          .isInstanceOf(InvalidMessageException.class).hasMessageContaining("display_text").hasMessageContaining("at most 20");
      assertThatThrownBy(() -> new CtaUrlMessage(TO, " ", "Open", "https://a.example")).hasMessageContaining("interactive body");
      assertThatThrownBy(() -> new CtaUrlMessage(TO, "Body", "Open", "ftp://a.example")).hasMessageContaining("CTA button url");
      assertThatThrownBy(() -> new CtaUrlMessage(TO, "Body", "Open", null)).hasMessageContaining("CTA button url");
    }
  }

  @Nested
  class LocationRequest {

    @Test
    @DisplayName("location_request_message: body and the send_location action")
    void shape() {
      assertThat(new LocationRequestMessage(TO, "Where should we deliver?").toJson()).isEqualTo(expected("""
          "type":"interactive","interactive":{"type":"location_request_message",
           "body":{"text":"Where should we deliver?"},"action":{"name":"send_location"}}"""));
    }

    @Test
    @DisplayName("the body is required and at most 1024 characters")
    void limits() {
      assertThatThrownBy(() -> new LocationRequestMessage(TO, null)).hasMessageContaining("interactive body must not be empty");
      assertThatThrownBy(() -> new LocationRequestMessage(TO, "x".repeat(1025))).hasMessageContaining("at most 1024");
    }
  }

  @Nested
  class Location {

    @Test
    @DisplayName("location: latitude, longitude, name and address")
    void shape() {
      assertThat(new LocationMessage(TO, 37.44216251868683, -122.16153582049394, "Philz Coffee",
          "101 Forest Ave, Palo Alto, CA 94301").toJson()).isEqualTo(expected("""
          "type":"location","location":{"latitude":37.44216251868683,"longitude":-122.16153582049394,
           "name":"Philz Coffee","address":"101 Forest Ave, Palo Alto, CA 94301"}"""));
      assertThat(new LocationMessage(TO, 0, 0).content()).isEqualTo(new JsonObject("{\"latitude\":0.0,\"longitude\":0.0}"));
    }

    @Test
    @DisplayName("coordinates off the globe (or NaN) are refused")
    void limits() {
      assertThatThrownBy(() -> new LocationMessage(TO, 91, 0)).hasMessageContaining("latitude 91.0 is outside -90..90");
      assertThatThrownBy(() -> new LocationMessage(TO, 0, -180.5)).hasMessageContaining("longitude");
      assertThatThrownBy(() -> new LocationMessage(TO, Double.NaN, 0)).hasMessageContaining("latitude");
    }
  }

  @Nested
  class Contacts {

    @Test
    @DisplayName("contacts: an array of cards with Meta's vCard fields")
    void shape() {
      Contact ana = Contact.named("Ana Ruiz", "Ana", "Ruiz")
          .withPhone(new Phone("+52 55 1234 5678", "WORK", "5215512345678"))
          .withEmail(new Email("ana@example.com", "WORK"))
          .withUrl(new Url("https://example.com", "WORK"))
          .withAddress(new Address("1 Hacker Way", "Menlo Park", "CA", "94025", "United States", "US", "WORK"))
          .withOrg(new Org("Example Inc", "Sales", "Manager"))
          .withBirthday("1990-04-21");

      assertThat(new ContactsMessage(TO, List.of(ana)).toJson()).isEqualTo(expected("""
          "type":"contacts","contacts":[{
            "name":{"formatted_name":"Ana Ruiz","first_name":"Ana","last_name":"Ruiz"},
            "phones":[{"phone":"+52 55 1234 5678","type":"WORK","wa_id":"5215512345678"}],
            "emails":[{"email":"ana@example.com","type":"WORK"}],
            "urls":[{"url":"https://example.com","type":"WORK"}],
            "addresses":[{"street":"1 Hacker Way","city":"Menlo Park","state":"CA","zip":"94025",
              "country":"United States","country_code":"US","type":"WORK"}],
            "org":{"company":"Example Inc","department":"Sales","title":"Manager"},
            "birthday":"1990-04-21"}]"""));
    }

    @Test
    @DisplayName("a card needs formatted_name and one more name part; bad birthday, email, country code are refused")
    void limits() {
      assertThatThrownBy(() -> Contact.named(" ", "Ana", null)).hasMessageContaining("formatted_name");
      assertThatThrownBy(() -> Contact.named("Ana", null, null)).hasMessageContaining("at least one of first_name");
      Contact ana = Contact.named("Ana Ruiz", "Ana", null);
      assertThatThrownBy(() -> ana.withBirthday("21/04/1990")).hasMessageContaining("birthday must be YYYY-MM-DD");
      assertThatThrownBy(() -> new Email("ana.example.com", null)).hasMessageContaining("contact email");
      assertThatThrownBy(() -> new Address(null, null, null, null, null, "USA", null)).hasMessageContaining("country_code");
      assertThatThrownBy(() -> new ContactsMessage(TO, List.of())).hasMessageContaining("contact cards: 0 given");
    }
  }

  @Nested
  class Carousel {

    @Test
    @DisplayName("carousel: body and indexed cards with an image header, body and a cta_url button")
    void urlCards() {
      CarouselMessage carousel = new CarouselMessage(TO, "Our picks for you", List.of(
          Card.withUrl("https://cdn.example.com/a.png", "Blue sneakers", "Buy", "https://shop.example.com/a"),
          Card.withUrl("https://cdn.example.com/b.png", "Red sneakers", "Buy", "https://shop.example.com/b")));

      assertThat(carousel.toJson()).isEqualTo(expected("""
          "type":"interactive","interactive":{"type":"carousel","body":{"text":"Our picks for you"},
           "action":{"cards":[
            {"card_index":0,"type":"cta_url","header":{"type":"image","image":{"link":"https://cdn.example.com/a.png"}},
             "body":{"text":"Blue sneakers"},
             "action":{"name":"cta_url","parameters":{"display_text":"Buy","url":"https://shop.example.com/a"}}},
            {"card_index":1,"type":"cta_url","header":{"type":"image","image":{"link":"https://cdn.example.com/b.png"}},
             "body":{"text":"Red sneakers"},
             "action":{"name":"cta_url","parameters":{"display_text":"Buy","url":"https://shop.example.com/b"}}}]}}"""));
    }

    @Test
    @DisplayName("carousel cards with quick-reply buttons, video by media id")
    void quickReplyCards() {
      List<Card> cards = List.of(
          new Card("video", "1013859600285441", null, null, null, List.of(new Button("more-a", "More"))),
          new Card("video", "1013859600285442", null, null, null, List.of(new Button("more-b", "More"))));

      JsonObject card = new CarouselMessage(TO, "Watch", cards).content().getJsonObject("action").getJsonArray("cards")
          .getJsonObject(1);
      assertThat(card).isEqualTo(new JsonObject("""
          {"card_index":1,"type":"button","header":{"type":"video","video":{"id":"1013859600285442"}},
           "action":{"buttons":[{"type":"quick_reply","quick_reply":{"id":"more-b","title":"More"}}]}}"""));
    }

    @Test
    @DisplayName("1 or 11 cards, a card without media, mixed card shapes and long card bodies are refused")
    void limits() {
      Card card = Card.withUrl("https://cdn.example.com/a.png", "A", "Buy", "https://shop.example.com/a");
      assertThatThrownBy(() -> new CarouselMessage(TO, "Picks", List.of(card))).hasMessageContaining("carousel cards: 1 given")
          .hasMessageContaining("2 to 10");
      assertThatThrownBy(() -> new CarouselMessage(TO, "Picks", IntStream.range(0, 11).mapToObj(i -> card).toList()))
          .hasMessageContaining("carousel cards: 11 given");
      assertThatThrownBy(() -> new Card("image", null, null, "A", new CarouselMessage.CtaButton("Buy", "https://a.example"), null))
          .hasMessageContaining("carousel card needs its media");
      assertThatThrownBy(() -> new Card("document", "1", null, "A", new CarouselMessage.CtaButton("Buy", "https://a.example"), null))
          .hasMessageContaining("image or video");
      assertThatThrownBy(() -> Card.withUrl("https://cdn.example.com/a.png", "x".repeat(161), "Buy", "https://a.example"))
          .hasMessageContaining("carousel card body").hasMessageContaining("at most 160");
      Card quick = Card.withQuickReplies("https://cdn.example.com/b.png", "B", List.of(new Button("b", "B")));
      assertThatThrownBy(() -> new CarouselMessage(TO, "Picks", List.of(card, quick))).hasMessageContaining("same media kind and buttons");
      assertThatThrownBy(() -> Card.withQuickReplies("https://cdn.example.com/b.png", "B", List.of()))
          .hasMessageContaining("either one URL button or quick-reply buttons");
    }
  }

  @Nested
  class Products {

    @Test
    @DisplayName("product: catalog_id and product_retailer_id, optional body and footer")
    void single() {
      assertThat(new ProductMessage(TO, CATALOG, "SKU-42", "Still available!", "Ships tomorrow").toJson()).isEqualTo(expected("""
          "type":"interactive","interactive":{"type":"product","body":{"text":"Still available!"},
           "footer":{"text":"Ships tomorrow"},
           "action":{"catalog_id":"367025965434465","product_retailer_id":"SKU-42"}}"""));
    }

    @Test
    @DisplayName("product_list: required header and body, sections of product_items")
    void list() {
      ProductListMessage message = new ProductListMessage(TO, CATALOG, "Sneakers", "Pick yours", null, List.of(
          new Section("Running", List.of("SKU-1", "SKU-2")), new Section("Casual", List.of("SKU-3"))));

      assertThat(message.toJson()).isEqualTo(expected("""
          "type":"interactive","interactive":{"type":"product_list",
           "header":{"type":"text","text":"Sneakers"},"body":{"text":"Pick yours"},
           "action":{"catalog_id":"367025965434465","sections":[
            {"title":"Running","product_items":[{"product_retailer_id":"SKU-1"},{"product_retailer_id":"SKU-2"}]},
            {"title":"Casual","product_items":[{"product_retailer_id":"SKU-3"}]}]}}"""));
    }

    @Test
    @DisplayName("catalog_message: body, footer and the thumbnail product")
    void catalog() {
      assertThat(new CatalogMessage(TO, "Browse everything", "Prices in MXN", "SKU-1").toJson()).isEqualTo(expected("""
          "type":"interactive","interactive":{"type":"catalog_message","body":{"text":"Browse everything"},
           "footer":{"text":"Prices in MXN"},
           "action":{"name":"catalog_message","parameters":{"thumbnail_product_retailer_id":"SKU-1"}}}"""));
      assertThat(new CatalogMessage(TO, "Browse", null, null).content().getJsonObject("action"))
          .isEqualTo(new JsonObject().put("name", "catalog_message"));
    }

    @Test
    @DisplayName("a catalog id that is not Meta's numeric id, a missing header, 31 products or a repeated SKU are refused")
    void limits() {
      assertThatThrownBy(() -> new ProductMessage(TO, "my-shop", "SKU", null, null)).hasMessageContaining("numeric id of the Meta catalog");
      assertThatThrownBy(() -> new ProductMessage(TO, null, "SKU", null, null)).hasMessageContaining("catalog id");
      assertThatThrownBy(() -> new ProductMessage(TO, CATALOG, " ", null, null)).hasMessageContaining("product_retailer_id");
      Section one = new Section("A", List.of("SKU-1"));
      assertThatThrownBy(() -> new ProductListMessage(TO, CATALOG, null, "Pick", null, List.of(one)))
          .hasMessageContaining("product list header");
      List<String> twenty = IntStream.range(0, 20).mapToObj(i -> "A" + i).toList();
      List<String> eleven = IntStream.range(0, 11).mapToObj(i -> "B" + i).toList();
      assertThatThrownBy(() -> new ProductListMessage(TO, CATALOG, "H", "Pick", null,
          List.of(new Section("A", twenty), new Section("B", eleven)))).hasMessageContaining("31 products");
      assertThatThrownBy(() -> new ProductListMessage(TO, CATALOG, "H", "Pick", null,
          List.of(one, new Section("B", List.of("SKU-1"))))).hasMessageContaining("\"SKU-1\" is listed twice");
      List<Section> elevenSections = IntStream.range(0, 11).mapToObj(i -> new Section("S" + i, List.of("X" + i))).toList();
      assertThatThrownBy(() -> new ProductListMessage(TO, CATALOG, "H", "Pick", null, elevenSections))
          .hasMessageContaining("product sections: 11 given");
      assertThatThrownBy(() -> new Section(null, List.of("SKU"))).hasMessageContaining("product section title");
    }
  }

  @Nested
  class ReplyContext {

    @Test
    @DisplayName("every type can quote the customer's message: context.message_id next to the unchanged message")
    void everyType() {
      List<OutboundMessage> all = new ArrayList<>(List.of(
          OutboundMessage.text(TO, "Hi"),
          new ButtonsMessage(TO, "Pick", List.of(new Button("a", "A"))),
          new CtaUrlMessage(TO, "Body", "Open", "https://a.example"),
          new LocationRequestMessage(TO, "Where?"),
          new LocationMessage(TO, 1, 2),
          new ContactsMessage(TO, List.of(Contact.named("Ana Ruiz", "Ana", null))),
          new ProductMessage(TO, CATALOG, "SKU", null, null),
          new CatalogMessage(TO, "Browse", null, null),
          MediaMessage.byLink(TO, "image", "https://a.example/x.png", null),
          new TemplateMessage(TO, "hello_world", "en_US", List.of()),
          RawMessage.of(TO, new JsonObject().put("type", "sticker").put("sticker", new JsonObject().put("id", "1")))));

      for (OutboundMessage message : all) {
        JsonObject quoted = message.inReplyTo("wamid.IN").toJson();
        JsonObject plain = message.toJson();
        assertThat(quoted.remove("context")).as(message.type()).isEqualTo(new JsonObject().put("message_id", "wamid.IN"));
        assertThat(quoted).as("the message itself is unchanged: " + message.type()).isEqualTo(plain);
      }
    }

    @Test
    @DisplayName("quoting twice keeps the last quote; a reaction cannot quote; the id is required")
    void edges() {
      OutboundMessage twice = OutboundMessage.text(TO, "Hi").inReplyTo("wamid.A").inReplyTo("wamid.B");
      assertThat(twice.toJson().getJsonObject("context").getString("message_id")).isEqualTo("wamid.B");
      assertThatThrownBy(() -> new ReactionMessage(TO, "wamid.A", "👍").inReplyTo("wamid.B")).hasMessageContaining("reaction cannot quote");
      assertThatThrownBy(() -> OutboundMessage.text(TO, "Hi").inReplyTo(" ")).hasMessageContaining("context.message_id");
    }
  }

  @Nested
  class Raw {

    @Test
    @DisplayName("a raw message is passed through; only the envelope is added (here Meta's address_message)")
    void passThrough() {
      JsonObject message = new JsonObject("""
          {"type":"interactive","interactive":{"type":"address_message","body":{"text":"Where to?"},
           "action":{"name":"address_message","parameters":{"country":"IN"}}}}""");

      assertThat(RawMessage.of(TO, message).toJson()).isEqualTo(expected(message.encode().substring(1, message.encode().length() - 1)));
      assertThat(RawMessage.of("US.13491208655302741918", message).toJson().getString("recipient"))
          .isEqualTo("US.13491208655302741918");
    }

    @Test
    @DisplayName("a JSON text or a Map is accepted; a member that is an array (contacts) passes through too")
    void forms() {
      RawMessage fromText = RawMessage.of(TO, "{\"type\":\"contacts\",\"contacts\":[{\"name\":{\"formatted_name\":\"A\"}}]}");
      assertThat(fromText.toJson().getJsonArray("contacts")).isEqualTo(new JsonArray("[{\"name\":{\"formatted_name\":\"A\"}}]"));
      RawMessage fromMap = RawMessage.of(TO, Map.of("type", "text", "text", Map.of("body", "hi")));
      assertThat(fromMap.toJson().getJsonObject("text").getString("body")).isEqualTo("hi");
    }

    @Test
    @DisplayName("a body that is not an object, without type or its member, or setting the envelope is refused")
    void refused() {
      assertThatThrownBy(() -> RawMessage.of(TO, "[1,2]")).isInstanceOf(InvalidMessageException.class)
          .hasMessageContaining("must be a JSON object");
      assertThatThrownBy(() -> RawMessage.of(TO, "not json")).hasMessageContaining("must be a JSON object");
      assertThatThrownBy(() -> RawMessage.of(TO, 42)).hasMessageContaining("must be a JSON object, not Integer");
      assertThatThrownBy(() -> RawMessage.of(TO, null)).hasMessageContaining("must be a JSON object, not null");
      assertThatThrownBy(() -> RawMessage.of(TO, new JsonArray())).hasMessageContaining("must be a JSON object, not JsonArray");
      assertThatThrownBy(() -> RawMessage.of(TO, "{\"text\":{\"body\":\"hi\"}}")).hasMessageContaining("needs \"type\"");
      assertThatThrownBy(() -> RawMessage.of(TO, "{\"type\":\"text\"}")).hasMessageContaining("needs the member \"text\"");
      assertThatThrownBy(() -> RawMessage.of(TO, "{\"type\":\"text\",\"text\":{},\"to\":\"15550001111\"}"))
          .hasMessageContaining("must not set \"to\"");
    }
  }
}
