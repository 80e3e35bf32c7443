package io.wabot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.config.WhatsAppConfig;
import io.wabot.testing.Http;
import io.wabot.testing.RedisExtension;
import io.wabot.whatsapp.outbound.AddressMessage;
import io.wabot.whatsapp.outbound.CarouselMessage;
import io.wabot.whatsapp.outbound.CarouselMessage.Card;
import io.wabot.whatsapp.outbound.CatalogMessage;
import io.wabot.whatsapp.outbound.ContactsMessage;
import io.wabot.whatsapp.outbound.ContactsMessage.Contact;
import io.wabot.whatsapp.outbound.ContactsMessage.Email;
import io.wabot.whatsapp.outbound.ContactsMessage.Phone;
import io.wabot.whatsapp.outbound.CtaUrlMessage;
import io.wabot.whatsapp.outbound.LocationMessage;
import io.wabot.whatsapp.outbound.LocationRequestMessage;
import io.wabot.whatsapp.outbound.OutboundMessage;
import io.wabot.whatsapp.outbound.ProductListMessage;
import io.wabot.whatsapp.outbound.ProductListMessage.Section;
import io.wabot.whatsapp.outbound.ProductMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Every richer message type on the sandbox page, in headless Chromium: the typed builders' bodies are
 * POSTed to the Graph API simulator exactly as the bot's sender posts them (same endpoint, token and
 * JSON), and the page must draw each one as WhatsApp does, without sideways scrolling, on a phone
 * (390 px) and a wide screen (1440 px). Screenshots: {@code target/sandbox-messages-<width>[-cards].png}
 * ({@code docs/sandbox-messages.png} is {@code 1440-cards}).
 */
class SandboxMessagesBrowserIT {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String CATALOG = "367025965434465";
  static final String INDIA = "919876543210";

  @RegisterExtension
  final SandboxPage page = new SandboxPage();

  @BeforeEach
  void start() {
    page.startSandbox(REDIS.url());
  }

  /** What the sender does with a message: POST its Cloud API body to {@code /{version}/{phone-number-id}/messages}. */
  private void botSends(OutboundMessage message) throws Exception {
    WhatsAppConfig whatsapp = page.app().config().whatsapp();
    HttpRequest request = HttpRequest.newBuilder(URI.create(whatsapp.apiBaseUrl() + "/" + whatsapp.apiVersion() + "/"
            + whatsapp.phoneNumberId() + "/messages"))
        .header("Authorization", "Bearer " + whatsapp.accessToken().value()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(message.toJson().encode())).build();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(message.type() + " accepted by the simulator: " + response.body()).isEqualTo(200);
  }

  private static By rich(String type) {
    return By.cssSelector(".row.in [data-type='" + type + "']");
  }

  private long script(String expression, Object... args) {
    return page.number(expression, args);
  }

  @ParameterizedTest(name = "{0} px")
  @ValueSource(ints = {390, 1440})
  @DisplayName("carousel, product, product list, catalog, CTA, location request, address request, location and contact cards, reply context")
  void everyType(int width) throws Exception {
    int port = page.app().httpPort();
    JsonObject customer = Http.json(port, "POST", "/sandbox/api/customers",
        new JsonObject().put("name", "Asha Rao").put("number", INDIA).put("locale", "en"));
    String quoted = Http.json(port, "POST", "/sandbox/api/customers/" + INDIA + "/messages",
        new JsonObject().put("type", "text").put("text", "Do you deliver to Bengaluru?")).getJsonObject("entry").getString("wamid");
    assertThat(customer.getString("number")).isEqualTo(INDIA);

    botSends(new CtaUrlMessage(INDIA, "Order #4521", "Your parcel left the warehouse.", null, "Track it",
        "https://shop.example.com/track/4521").inReplyTo(quoted));
    botSends(new CarouselMessage(INDIA, "Our picks for you", List.of(
        Card.withUrl("https://cdn.example.com/a.png", "Blue sneakers", "Buy", "https://shop.example.com/a"),
        Card.withUrl("https://cdn.example.com/b.png", "Red sneakers", "Buy", "https://shop.example.com/b"),
        Card.withUrl("https://cdn.example.com/c.png", "Green sneakers", "Buy", "https://shop.example.com/c"))));
    botSends(new ProductMessage(INDIA, CATALOG, "SKU-42", "Still available!", "Ships tomorrow"));
    botSends(new ProductListMessage(INDIA, CATALOG, "Sneakers", "Pick yours", null, List.of(
        new Section("Running", List.of("SKU-1", "SKU-2")), new Section("Casual", List.of("SKU-3")))));
    botSends(new CatalogMessage(INDIA, "Browse everything", "Prices in INR", "SKU-1"));
    botSends(new LocationMessage(INDIA, 12.9716, 77.5946, "Our Bengaluru store", "MG Road, Bengaluru"));
    botSends(new ContactsMessage(INDIA, List.of(Contact.named("Ravi Kumar", "Ravi", "Kumar")
        .withPhone(new Phone("+91 98765 43211", "WORK", "919876543211")).withEmail(new Email("ravi@example.com", "WORK")))));
    botSends(new AddressMessage(INDIA, null, "Where should we deliver?", null, "IN", Map.of("name", "Asha Rao")));
    botSends(new LocationRequestMessage(INDIA, "Share your location and we find the nearest store."));

    page.open(width, width == 390 ? 844 : 900);
    page.click(By.xpath("//ul[@id='customers']/li[.//div[@class='who-name' and text()='Asha Rao']]"));

    // The chat re-renders as statuses and entries arrive, so every look at the page is one read, retried
    // when the element it found was replaced meanwhile.
    page.waitForCount(rich("location_request_message"), 1); // the last one sent: all are on the page

    // reply context: the customer's words quoted above the CTA bubble; the button opens the link in a new tab
    assertThat(read("cta_url", (WebElement e) -> e.findElement(By.cssSelector(".quote")).getText())).isEqualTo("Do you deliver to Bengaluru?");
    assertThat(read("cta_url", (WebElement e) -> List.of(e.findElement(By.cssSelector("a.cta")).getText(),
        e.findElement(By.cssSelector("a.cta")).getAttribute("href"), e.findElement(By.cssSelector("a.cta")).getAttribute("target"))))
        .containsExactly("↗ Track it", "https://shop.example.com/track/4521", "_blank");

    // carousel: one card each, media box + body + link button, scrolling sideways inside its row
    assertThat(read("carousel", (WebElement e) -> e.findElements(By.cssSelector(".card")).size())).isEqualTo(3);
    assertThat(read("carousel", (WebElement e) -> {
      WebElement card = e.findElements(By.cssSelector(".card")).get(1);
      return List.of(card.findElement(By.cssSelector(".card-body")).getText(), card.findElements(By.cssSelector(".card-media")).size(),
          card.findElement(By.cssSelector("a.cta")).getAttribute("href"));
    })).containsExactly("Red sneakers", 1, "https://shop.example.com/b");
    if (width == 390) {
      assertThat(read("carousel", (WebElement e) -> script("arguments[0].scrollWidth - arguments[0].clientWidth", e.findElement(By.cssSelector(".carousel")))))
          .as("three 200 px cards do not fit a phone's row: they scroll inside it").isPositive();
    }

    // products: retailer ids (the sandbox has no Meta catalog), sections with their titles
    assertThat(read("product", (WebElement e) -> e.findElement(By.cssSelector(".product-row")).getAttribute("data-sku"))).isEqualTo("SKU-42");
    assertThat(read("product_list", (WebElement e) -> e.findElements(By.cssSelector(".product-section")).size())).isEqualTo(2);
    assertThat(read("product_list", (WebElement e) -> e.findElements(By.cssSelector(".product-row")).stream().map(r -> r.getAttribute("data-sku")).toList()))
        .containsExactly("SKU-1", "SKU-2", "SKU-3");
    assertThat(read("product_list", WebElement::getText)).contains("Running", "Casual", "Sneakers", "Pick yours");
    assertThat(read("catalog_message", WebElement::getText)).contains("Browse everything", "View catalog", "SKU-1");

    // location and contact cards
    assertThat(read("location", (WebElement e) -> List.of(e.findElement(By.cssSelector(".loc-name")).getText(),
        e.findElement(By.cssSelector(".loc-address")).getText(), e.findElement(By.cssSelector(".loc-coords")).getText(),
        e.findElements(By.cssSelector(".map .pin")).size())))
        .containsExactly("Our Bengaluru store", "MG Road, Bengaluru", "12.97160, 77.59460", 1);
    assertThat(read("contacts", WebElement::getText)).contains("Ravi Kumar", "+91 98765 43211", "ravi@example.com");

    assertThat(read("address_message", WebElement::getText)).contains("Where should we deliver?", "Provide address", "IN");

    // nothing sticks out sideways, at either width
    long viewport = script("window.innerWidth");
    assertThat(script("document.documentElement.scrollWidth")).as("page width").isLessThanOrEqualTo(viewport);
    assertThat(script("document.body.scrollWidth")).as("body width").isLessThanOrEqualTo(viewport);
    assertThat(script("document.getElementById('messages').scrollWidth - document.getElementById('messages').clientWidth"))
        .as("the chat itself does not scroll sideways").isLessThanOrEqualTo(0);
    screenshotAt("messages-" + width, "carousel");
    screenshotAt("messages-" + width + "-cards", "location");

    // location request: "Send location" answers through the real webhook, quoting the request
    page.click(By.cssSelector(".row.in [data-type='location_request_message'] .send-location"));
    List<String> answer = page.until(d -> {
      WebElement shared = d.findElement(By.cssSelector(".row.out .bubble:has(.location-card)"));
      return List.of(shared.findElement(By.cssSelector(".loc-name")).getText(), shared.findElement(By.cssSelector(".quote")).getText());
    });
    assertThat(answer).as("the customer's location answers the request, quoting it")
        .containsExactly("Zócalo", "Share your location and we find the nearest store.");
  }

  /** What {@code look} sees in the bot's message of {@code type}, read again if the chat re-rendered meanwhile. */
  private <T> T read(String type, java.util.function.Function<WebElement, T> look) {
    return page.read(rich(type), look);
  }

  private void screenshotAt(String name, String type) throws Exception {
    read(type, e -> page.browser().executeScript("arguments[0].scrollIntoView({block: 'center'}); return 1", e));
    page.screenshot("sandbox-" + name);
  }
}
