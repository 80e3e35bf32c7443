package io.wabot.conversation;

import static io.wabot.conversation.Bot.buttons;
import static io.wabot.conversation.Bot.list;
import static io.wabot.conversation.Bot.listStartingWith;
import static io.wabot.conversation.Bot.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.wabot.testing.RedisExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sample sales flow as customers live it, in English and Spanish, against a real Redis. */
class SalesConversationTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  ChatHarness chat;
  Customer sam;   // +1: English
  Customer ana;   // +52: Mexican Spanish
  Customer pilar; // +34: Spanish

  @BeforeEach
  void start() {
    chat = new ChatHarness(REDIS.url());
    sam = chat.customer("16505551234", "Sam Taylor");
    ana = chat.customer("5215512345678", "Ana María");
    pilar = chat.customer("34612345678", "Pilar");
  }

  @AfterEach
  void stop() {
    chat.close();
  }

  @Nested
  @DisplayName("greeting and menu")
  class Menu {

    @Test
    @DisplayName("a first hello gets a greeting by name and the three main options, marked read with typing")
    void greetsInEnglish() {
      sam.says("Hi!")
          .botReplies(buttons("Hi Sam! 👋 I'm the Acme Electronics assistant", "Browse products", "Search", "Talk to a person"))
          .markedRead(true);
    }

    @Test
    @DisplayName("a Mexican number is greeted in Mexican Spanish, a Spanish one in Spanish")
    void greetsInSpanish() {
      ana.says("hola").botReplies(buttons("¡Qué tal, Ana! 👋 Soy el asistente de Acme Electronics",
          "Ver productos", "Buscar", "Hablar con asesor"));
      pilar.says("Buenas tardes").botReplies(buttons("¡Hola, Pilar! 👋", "Ver productos", "Buscar", "Hablar con asesor"));
    }

    @Test
    @DisplayName("a profile name without letters falls back to the greeting without a name")
    void greetsWithoutName() {
      chat.customer("16505550000", "🙂🙂").says("hello").botReplies(buttons("Hi there! 👋", "Browse products", "Search", "Talk to a person"));
    }

    @Test
    @DisplayName("help lists the commands with words that work, and the menu comes back anywhere")
    void helpAndMenu() {
      sam.says("help").botReplies(buttons("*AGENT*: talk to a person", "Browse products", "Search", "Talk to a person"));
      sam.taps("Browse products").says("menu").botReplies(buttons("Hi Sam!", "Browse products", "Search", "Talk to a person"));
      ana.says("ayuda").botReplies(buttons("*ASESOR*: hablar con una persona", "Ver productos", "Buscar", "Hablar con asesor"));
    }

    @Test
    @DisplayName("thanks gets a short, friendly answer")
    void thanks() {
      sam.says("hi").says("Thank you!").botReplies(text("You're welcome!", "*MENU*"));
      ana.says("hola").says("muchas gracias").botReplies(text("¡Con gusto!"));
    }
  }

  @Nested
  @DisplayName("browsing")
  class Browsing {

    @Test
    @DisplayName("categories, then a category's items with price and stock, then an item in stock")
    void browseToDetail() {
      sam.says("hi").taps("Browse products")
          .botReplies(list("Pick a category", "Audio", "Phones", "Laptops", "Wearables", "Smart home", "Gaming", "Cameras",
              "Accessories"));
      sam.taps("Audio").botReplies(list("We have 6 products in Audio",
          "Nimbus ANC 700 Wireless…", "Nimbus Buds Lite", "Volta Studio Headphones", "Boomcube Portable…",
          "Nimbus Buds Pro", "Boomcube Max Party…", "⬅ All categories"));
      assertThat(Bot.rows(sam.lastReplies().get(0)).get(0).getString("description")).isEqualTo("US$329–399 · ✅ In stock");
      assertThat(Bot.rows(sam.lastReplies().get(0)).get(2).getString("description")).isEqualTo("US$149 · ⚠️ Only 4 left");
      sam.taps("Volta Studio Headphones")
          .botReplies(buttons("⚠️ Only 4 left\nPrice: US$149", "Reserve it", "Back", "Talk to a person"));
      assertThat(sam.lastReplies().get(0).getJsonObject("interactive").getJsonObject("footer").getString("text"))
          .isEqualTo("SKU AUD-004");
      sam.taps("Back").botReplies(listStartingWith("We have 6 products in Audio", "Nimbus ANC 700 Wireless…"));
    }

    @Test
    @DisplayName("in Spanish, with the catalog's Spanish names and a number typed instead of a tap")
    void browseInSpanish() {
      ana.says("hola").taps("Ver productos").botReplies(listStartingWith("Elige una categoría", "Audio", "Celulares"));
      ana.says("2").botReplies(list("Tenemos 4 productos en Celulares", "Orbit X5 128 GB", "Orbit X5 Pro 256 GB", "Orbit A2",
          "Orbit Fold", "⬅ Todas las categorías"));
      ana.taps("Orbit X5 Pro 256 GB").botReplies(buttons("⚠️ Solo quedan 3\nPrecio: US$999–1,099", "Apartar", "Volver",
          "Hablar con asesor"));
    }

    @Test
    @DisplayName("a category of more than ten items is paginated with a More… row")
    void pagination() {
      sam.says("hi").taps("Browse products").taps("Accessories");
      var page1 = sam.lastReplies().get(0);
      assertThat(Bot.rowTitles(page1)).hasSize(10).endsWith("More…");
      assertThat(Bot.visibleText(page1)).contains("We have 12 products in Accessories", "Page 1 of 2");
      assertThat(Bot.rows(page1).get(9).getString("description")).isEqualTo("Show products 10–12 of 12");
      sam.taps("More…");
      var page2 = sam.lastReplies().get(0);
      assertThat(Bot.visibleText(page2)).contains("Page 2 of 2");
      assertThat(Bot.rowTitles(page2)).hasSize(4).endsWith("⬅ All categories");
      assertThat(Bot.rowTitles(page2)).doesNotContainAnyElementsOf(Bot.rowTitles(page1));
      ana.says("hola").taps("Ver productos").taps("Accesorios").taps("Más…");
      assertThat(Bot.visibleText(ana.lastReplies().get(0))).contains("Página 2 de 2");
    }

    @Test
    @DisplayName("long product names are shortened to fit WhatsApp's limits, never rejected")
    void longNamesFit() {
      sam.says("hi").taps("Browse products").taps("Audio");
      for (String title : Bot.rowTitles(sam.lastReplies().get(0))) {
        assertThat(title.codePointCount(0, title.length())).isLessThanOrEqualTo(24);
      }
      sam.taps("Nimbus ANC 700 Wireless…");
      var detail = sam.lastReplies().get(0).getJsonObject("interactive");
      assertThat(detail.getJsonObject("header").getString("text")).isEqualTo("Nimbus ANC 700 Wireless Noise-Cancelling Headphones");
    }
  }

  @Nested
  @DisplayName("searching")
  class Searching {

    @Test
    @DisplayName("a search with a typo finds the headphones")
    void typo() {
      sam.says("hi").taps("Search").botReplies(text("What are you looking for?"));
      sam.says("hedphones").botReplies(listStartingWith("I found 4 products for \"hedphones\"", "Nimbus ANC 700 Wireless…"));
      assertThat(Bot.rowTitles(sam.lastReplies().get(0)))
          .contains("Nimbus ANC 700 Wireless…", "Volta Studio Headphones", "Nimbus Buds Lite", "Nimbus Buds Pro");
    }

    @Test
    @DisplayName("Spanish words, accents and plurals find the same products")
    void spanish() {
      ana.says("hola").taps("Buscar").says("audífonos");
      assertThat(Bot.rowTitles(ana.lastReplies().get(0))).contains("Audífonos de estudio…", "Nimbus Buds Lite");
      pilar.says("hola").taps("Buscar").says("auriculares");
      assertThat(Bot.rowTitles(pilar.lastReplies().get(0))).contains("Audífonos de estudio…", "Nimbus Buds Lite");
    }

    @Test
    @DisplayName("free text anywhere is a search, and a SKU in any case goes straight to the item")
    void freeTextAndSku() {
      sam.says("hi").says("do you have a power bank?").botReplies(buttons("Slim power bank", "Reserve it", "Main menu", "Talk to a person"));
      sam.says("aud-004").botReplies(buttons("Wired closed-back studio headphones", "Reserve it", "Main menu", "Talk to a person"));
    }

    @Test
    @DisplayName("a first message that is a question gets a short welcome and the answer")
    void firstMessageSearch() {
      ana.says("¿tienen cargadores?").botReplies(text("¡Qué tal, Ana! 👋 Te damos la bienvenida a Acme Electronics."),
          listStartingWith("Encontré 2 productos", "Cargador USB-C de 65 W", "Batería portátil…"));
    }

    @Test
    @DisplayName("no results offers the categories, another search and a person")
    void noResults() {
      sam.says("hi").taps("Search").says("lawnmower")
          .botReplies(buttons("I couldn't find anything for \"lawnmower\"", "Browse products", "Search again", "Talk to a person"));
      ana.says("hola").taps("Buscar").says("podadora")
          .botReplies(buttons("no encontré nada para \"podadora\"", "Ver productos", "Buscar otra vez", "Hablar con asesor"));
    }
  }

  @Nested
  @DisplayName("out of stock")
  class OutOfStock {

    @Test
    @DisplayName("offers up to three in-stock alternatives of the same category, nearest in price, and a person")
    void alternatives() {
      sam.says("hi").says("AUD-002").botReplies(list("Nimbus Buds Pro* is out of stock right now",
          "Volta Studio Headphones", "Boomcube Portable…", "Nimbus Buds Lite", "Talk to a person", "Main menu"));
      sam.taps("Boomcube Portable…").botReplies(buttons("Waterproof Bluetooth speaker", "Reserve it", "Main menu", "Talk to a person"));
      ana.says("hola").says("aud-002").botReplies(list("*Nimbus Buds Pro* está agotado por ahora",
          "Audífonos de estudio…", "Bocina portátil Boomcube", "Nimbus Buds Lite", "Hablar con asesor", "Menú principal"));
    }

    @Test
    @DisplayName("with nothing similar in stock, offers a person first")
    void noAlternatives() {
      sam.says("hi").says("CAM-001").botReplies(buttons("I don't have a similar product in stock", "Talk to a person",
          "Browse products", "Main menu"));
    }

    @Test
    @DisplayName("asking about an out-of-stock item hands over with the item in context")
    void askAboutIt() {
      sam.says("hi").says("AUD-002").taps("Talk to a person")
          .botReplies(text("I've asked our sales team about *Nimbus Buds Pro*"));
      assertThat(chat.teamEvents()).last().satisfies(event -> {
        assertThat(event.getString("reason")).isEqualTo("out_of_stock");
        assertThat(event.getJsonObject("context").getJsonObject("item").getString("sku")).isEqualTo("AUD-002");
      });
    }
  }

  @Nested
  @DisplayName("misunderstandings and media")
  class Misunderstandings {

    @Test
    @DisplayName("one misunderstanding apologises with the menu; two in a row offer a person")
    void twoInARow() {
      sam.says("hi").says("blorp").botReplies(buttons("Sorry, I didn't quite get that", "Browse products", "Search",
          "Talk to a person"));
      assertThat(Bot.visibleText(sam.lastReplies().get(0))).contains("type *AGENT* anytime to talk to a person");
      sam.says("zzz qqq").botReplies(buttons("Would you like to talk to a person", "Talk to a person", "Main menu"));
      sam.taps("Talk to a person").botReplies(text("passed your request to our sales team"));
      assertThat(chat.teamEvents()).last().satisfies(e -> assertThat(e.getString("reason")).isEqualTo("not_understood"));
    }

    @Test
    @DisplayName("an understood message resets the count")
    void resets() {
      ana.says("hola").says("xyzzy").taps("Ver productos").says("qwerty")
          .botReplies(buttons("Perdona, no entendí bien", "Ver productos", "Buscar", "Hablar con asesor"));
    }

    @Test
    @DisplayName("a photo, a voice note, a sticker, a location and a contact each get a fitting answer with the menu")
    void media() {
      sam.says("hi");
      sam.sendsPhoto().botReplies(buttons("I can't look at photos yet", "Browse products", "Search", "Talk to a person"));
      sam.sendsVoiceNote().botReplies(buttons("I can't listen to voice notes yet", "Browse products", "Search", "Talk to a person"));
      sam.sendsSticker().botReplies(buttons("Nice sticker!", "Browse products", "Search", "Talk to a person"));
      sam.sendsLocation().botReplies(buttons("Thanks for sharing your location", "Browse products", "Search", "Talk to a person"));
      sam.sendsContact().botReplies(buttons("I can't use contact cards yet", "Browse products", "Search", "Talk to a person"));
      ana.sendsPhoto().botReplies(buttons("Todavía no puedo ver imágenes", "Ver productos", "Buscar", "Hablar con asesor"));
      ana.sendsVoiceNote().botReplies(buttons("no puedo escuchar notas de voz", "Ver productos", "Buscar", "Hablar con asesor"));
    }

    @Test
    @DisplayName("a reaction needs no answer: no reply, no read receipt, no typing")
    void reaction() {
      sam.says("hi").reactsWith("👍").botSaysNothing().notMarkedRead();
    }

    @Test
    @DisplayName("a template's quick reply the bot does not know brings the menu")
    void quickReply() {
      sam.tapsTemplateQuickReply("Continue").botReplies(buttons("Hi Sam!", "Browse products", "Search", "Talk to a person"));
    }
  }

  @Nested
  @DisplayName("language")
  class Language {

    @Test
    @DisplayName("a customer switches language and the choice outlives the conversation")
    void switches() {
      sam.says("hi").says("language").botReplies(buttons("Which language", "English", "Español"));
      sam.taps("Español").botReplies(buttons("A partir de ahora te escribo en español", "Ver productos", "Buscar",
          "Hablar con asesor"));
      chat.delete(StateStore.stateKey(sam.key()));
      sam.says("hello").botReplies(buttons("¡Hola, Sam!", "Ver productos", "Buscar", "Hablar con asesor"));
    }

    @Test
    @DisplayName("picking Español keeps a Mexican customer's regional wording")
    void keepsRegion() {
      ana.says("hola").says("español").botReplies(buttons("te escribo en español", "Ver productos", "Buscar", "Hablar con asesor"));
      ana.says("AUD-004").botReplies(buttons("Audífonos de estudio", "Apartar", "Menú principal", "Hablar con asesor"));
    }
  }

  @Nested
  @DisplayName("lost conversations")
  class Lost {

    @Test
    @DisplayName("a Back tap after the state vanished apologises and shows the menu")
    void lostBack() {
      sam.says("hi").taps("Browse products").taps("Audio").taps("Nimbus Buds Lite");
      REDIS.server().flushAll(); // as after a Redis restart without persistence
      sam.taps("Back").botReplies(buttons("Sorry, I lost track of our conversation. Here's the menu again.",
          "Browse products", "Search", "Talk to a person"));
      ana.says("hola").taps("Buscar").says("audifonos");
      chat.delete(StateStore.stateKey(ana.key()));
      ana.picksRow("sales:results:2", "Más…").botReplies(buttons("perdí el hilo de nuestra conversación", "Ver productos", "Buscar", "Hablar con asesor"));
    }

    @Test
    @DisplayName("an item tap from an old list still works without state, and a removed item is explained")
    void selfContainedIds() {
      sam.picksRow("sales:item:AUD-003", "Nimbus Buds Lite").botReplies(buttons("Light true wireless earbuds", "Reserve it",
          "Main menu", "Talk to a person"));
      sam.picksRow("sales:item:OLD-999", "Old thing").botReplies(buttons("that option isn't available anymore",
          "Browse products", "Search", "Talk to a person"));
    }

    @Test
    @DisplayName("unreadable stored state starts over politely instead of failing")
    void corruptState() {
      sam.says("hi");
      chat.redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.SET)
          .arg(chat.keyspace.key(StateStore.stateKey(sam.key()))).arg("{not json"));
      ChatHarness.await(chat.redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.PING)));
      sam.says("menu").botReplies(buttons("Hi Sam!", "Browse products", "Search", "Talk to a person"));
    }
  }
}
