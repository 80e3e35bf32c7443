package io.wabot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabot.testing.HeadlessChrome;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.Webhooks;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;

/**
 * The sandbox page in a real browser (headless Chromium, {@link HeadlessChrome}) against the real bot:
 * a new engineer's first minute, on a phone (390 px), a laptop (1024 px) and a wide screen (1440 px).
 * Leaves screenshots in {@code target/sandbox-*.png} for people to look at.
 */
class SandboxBrowserIT {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final int PHONE = 390;
  static final int LAPTOP = 1024;
  static final int WIDE = 1440;

  /** Where a test puts the files its customer attaches. */
  @TempDir
  Path files;

  @RegisterExtension
  final SandboxPage page = new SandboxPage();

  @BeforeEach
  void start() {
    page.startSandbox(REDIS.url());
  }

  private void open(int width) {
    page.open(width, width == PHONE ? 844 : 900);
  }

  // ---- what a person does ------------------------------------------------------------------------

  private void addCustomer(String name, String country) {
    page.addCustomer(name, country);
  }

  private void say(String text) {
    page.say(text);
  }

  private void tap(String buttonTitle) {
    page.click(By.xpath("(//div[contains(@class,'actions')]/button[text()='" + buttonTitle + "'])[last()]"));
  }

  private void screenshot(String name) throws Exception {
    page.screenshot("sandbox-" + name);
  }

  // ---- what the page must be -----------------------------------------------------------------------

  private long script(String expression, Object... args) {
    return page.number(expression, args);
  }

  /** Nothing sticks out sideways: no horizontal scrolling, at any width, in any view. */
  private void assertNoSidewaysScrolling(String where) {
    page.assertNoSidewaysScrolling(where);
  }

  private void assertReachable(String id) {
    page.assertReachable(By.id(id));
  }

  private boolean shown(String id) {
    return page.shown(id);
  }

  private long chatWidth() {
    return page.width(By.id("chat"));
  }

  @Test
  @DisplayName("a new customer says hi, taps a reply button and a list row, and sees the bot answer each time")
  void chatInTheBrowser() throws Exception {
    open(WIDE);
    addCustomer("Jamie Rivera", "1");
    say("hi");

    assertThat(page.botBubble(1)).contains("Hi Jamie!").contains("What would you like to do?");
    page.waitForCount(By.cssSelector(".row.in .actions button"), 3);
    tap("Browse products");

    assertThat(page.botBubble(2)).contains("Pick a category");
    page.click(By.cssSelector(".row.in .actions button.list-open"));
    page.click(By.xpath("//button[contains(@class,'sheet-row')][.//span[@class='title' and text()='Audio']]"));

    assertThat(page.botBubble(3)).contains("products in Audio");
    page.waitForCount(By.cssSelector(".row.out .ticks.read"), 3);
    assertThat(page.text(By.id("timeline")))
        .contains("inbound.queued").contains("conversation.turn").contains("outbound.sent");

    // a reply quotes the message it answers in words, without WhatsApp's *markup*, cut after a whole word
    List<String> quotes = page.texts(By.cssSelector(".row.out .quote"));
    assertThat(quotes).isNotEmpty().allSatisfy(quote -> assertThat(quote)
        .doesNotContain("*").matches("(?s).*(\\S…|[\\p{L}\\p{N}\\p{P}\\p{So}])$"));
    assertThat(page.text(By.cssSelector("#customers li:not(.agent) .who-last"))).as("the chat list's preview")
        .contains("Audio").doesNotContain("*");
    screenshot("1440-chat");
  }

  @Test
  @DisplayName("a customer attaches a photo and picks the sample PDF: both are downloaded and stored (Under the hood"
      + " shows the steps with timings), acknowledged, and the photo reaches the agent's chat as a picture")
  void mediaInTheBrowser() throws Exception {
    Path photo = files.resolve("charger.png");
    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D paint = image.createGraphics();
    paint.setColor(new java.awt.Color(0x25, 0xD3, 0x66));
    paint.fillRect(0, 0, 64, 48);
    paint.dispose();
    javax.imageio.ImageIO.write(image, "png", photo.toFile());
    open(WIDE);
    addCustomer("Jamie Rivera", "1");
    say("hi");
    page.waitForBotBubbles(1);

    // What the menu's "Photo or PDF from this computer" opens: a headless browser has no file dialog to answer.
    page.browser().executeScript("document.getElementById('attach-file').hidden = false;");
    page.read(By.id("attach-file"), picker -> {
      picker.sendKeys(photo.toAbsolutePath().toString());
      return true;
    });
    page.browser().executeScript("document.getElementById('attach-file').hidden = true;");
    page.waitForBotBubble(2, "Thanks for the photo");
    page.waitFor(By.cssSelector(".row.out img.media-img"), sent -> script("arguments[0].naturalWidth", sent) == 64);

    page.click(By.id("attach"));
    page.click(By.cssSelector("#attach-menu button[data-kind='document']"));
    page.waitForBotBubble(3, "received your document");
    if (!shown("events-panel")) {
      page.click(By.id("toggle-events"));
    }
    page.waitForText(By.id("timeline"), "media.stored");
    assertThat(page.text(By.id("timeline"))).contains("media.download_queued")
        .containsPattern("Stored a customer's image \\(\\d+ bytes\\) in \\d+ ms");
    screenshot("1440-media");

    tap("Talk to a person");
    page.waitForBotBubbles(4);
    // The agent's chat gets the request, then the photo and the PDF; the list re-renders as each arrives.
    page.waitForText(By.cssSelector("#customers li.agent"), "price-list.pdf");
    page.click(By.cssSelector("#customers li.agent"));
    page.until(d -> script("document.querySelector('.row.in img.media-img')?.naturalWidth ?? 0") == 64);
    screenshot("1440-agent-media");
  }

  @ParameterizedTest(name = "{0} px wide")
  @ValueSource(ints = {PHONE, LAPTOP, WIDE})
  @DisplayName("every control is reachable with no sideways scrolling, with Under the hood open and closed")
  void fitsTheScreen(int width) throws Exception {
    open(width);
    String at = width + " px";
    assertThat(script("window.innerWidth")).as("the viewport").isEqualTo(width);
    assertNoSidewaysScrolling(at + ", empty");
    assertReachable("add-customer");
    addCustomer("Maria Fernanda de la Cruz Villaseñor", "52");
    assertReachable("text");
    say("hola");
    page.waitForBotBubbles(1);
    page.waitForCount(By.cssSelector(".row.in .actions button"), 3);
    assertNoSidewaysScrolling(at + ", chat");
    for (String id : List.of("text", "send", "attach", "toggle-events")) {
      assertReachable(id);
    }
    assertThat(page.width(By.cssSelector(".row.in .actions button")))
        .as("reply buttons are full size").isGreaterThan(120);
    long chatWidth = chatWidth();
    screenshot(width + "-chat");

    // Under the hood: a column of its own on a wide screen (open from the start), over the chat on a
    // laptop, a view of its own on a phone; the chat never collapses
    if (!shown("events-panel")) {
      page.click(By.id("toggle-events"));
    }
    page.until(d -> shown("events-panel"));
    page.waitForText(By.id("timeline"), "conversation.turn");
    assertNoSidewaysScrolling(at + ", panel open");
    if (width == PHONE) {
      assertReachable("close-events");
      assertThat(shown("chat")).as("on a phone the panel is a view of its own").isFalse();
    } else {
      assertThat(chatWidth()).as("the chat keeps its width").isEqualTo(chatWidth);
      assertThat(chatWidth).isGreaterThan(400);
      assertReachable(width == WIDE ? "toggle-events" : "close-events");
    }
    screenshot(width + "-panel");

    page.click(By.id(width == WIDE ? "toggle-events" : "close-events"));
    page.until(d -> !shown("events-panel"));
    assertReachable("text");
    assertReachable("toggle-events");
    assertNoSidewaysScrolling(at + ", panel closed");

    if (width == PHONE) {
      assertReachable("back-to-list");
      page.click(By.id("back-to-list"));
      page.until(d -> shown("customers") && !shown("chat"));
      assertReachable("add-customer");
      assertNoSidewaysScrolling(at + ", chat list");
      screenshot(width + "-list");
      page.click(By.cssSelector("#customers li"));
      page.until(d -> shown("chat"));
      assertReachable("text");
    }
  }

  @Test
  @DisplayName("after a reload read chats have no unread badge, and the one with an unread answer has one")
  void unreadAfterReload() {
    open(WIDE);
    addCustomer("Ana López", "52");
    say("hola");
    page.waitForBotBubbles(1);
    addCustomer("Sam Taylor", "1");
    say("hi");
    page.waitForBotBubbles(1);
    page.waitForCount(By.cssSelector(".row.out .ticks.read"), 1);
    // Ana gets an answer while Sam's chat is open: unread
    page.click(By.xpath("//ul[@id='customers']/li[.//div[@class='who-name' and text()='Sam Taylor']]"));

    page.browser().navigate().refresh();
    page.until(d -> d.findElements(By.cssSelector("#customers li:not(.agent)")).size() == 2);
    page.waitForBotBubbles(1);
    assertThat(page.count(By.cssSelector("#customers .badge"))).as("badges after a reload").isZero();
  }

  @Test
  @DisplayName("in a hand-off the bot stays quiet without 'typing…', the wait is no error, and times read as times")
  void handoffOnThePage() throws Exception {
    open(WIDE);
    addCustomer("Sam Taylor", "1");
    say("hi");
    page.waitForBotBubbles(1);
    say("agent");
    assertThat(page.botBubble(2)).contains("sales team");
    page.waitForText(By.id("timeline"), "job.postponed");
    say("are you there?");
    page.waitForText(By.id("timeline"), "handoff.forwarded");
    page.waitForCount(By.cssSelector(".row.out .ticks.read"), 3);
    assertThat(page.text(By.id("chat-status"))).as("no typing while the bot is quiet")
        .doesNotContain("typing").contains("with the sales team");
    assertThat(page.botBubbleCount()).as("the bot said nothing more").isEqualTo(2);

    By postponed = By.cssSelector(".step[data-name='job.postponed']");
    assertThat(page.attribute(postponed, "class")).contains("wait").doesNotContain("warn").doesNotContain("error");
    assertThat(page.text(postponed)).contains("hand-off timer").doesNotContain("delay_ms").doesNotContainPattern("\\d{5,}");
    assertThat(page.text(By.id("timeline"))).doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T");
    screenshot("handoff");

    page.click(By.xpath("//ul[@id='customers']/li[.//div[@class='who-name' and text()='Sales team (agent)']]"));
    page.waitForBotBubbles(2);
    assertThat(page.botBubble(1)).contains("New request from Sam Taylor").contains("stays quiet until")
        .doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T");
    assertThat(page.text(By.id("chat-status"))).isEmpty();
  }

  /** Opens a chat from the chat list by its name; on a phone, goes back to the list first. */
  private void openChat(String name) {
    if (!shown("customers")) {
      page.click(By.id("back-to-list"));
      page.until(d -> shown("customers"));
    }
    page.click(By.xpath("//ul[@id='customers']/li[.//div[@class='who-name' and text()='" + name + "']]"));
    page.until(d -> shown("chat") && d.findElement(By.id("chat-name")).getText().startsWith(name));
  }

  private String bubbleText(int number) {
    return page.botBubble(number);
  }

  @ParameterizedTest(name = "{0} px wide")
  @ValueSource(ints = {PHONE, LAPTOP})
  @DisplayName("playing the agent: the request arrives in the agent seat, the agent answers, the customer gets it from the"
      + " business while the bot is quiet, and one button hands back to the bot")
  void agentSeat(int width) throws Exception {
    open(width);
    addCustomer("Sam Taylor", "1");
    say("hi");
    page.waitForBotBubbles(1);
    say("agent");
    assertThat(bubbleText(2)).contains("a person will reply right here");
    say("Is the Nimbus in stock in black?");
    page.waitForCount(By.cssSelector(".row.out .ticks.read"), 3);
    page.waitForText(By.id("chat-status"), "with the sales team");

    openChat("Sales team (agent)");
    assertThat(page.text(By.id("chat-name"))).contains("you play the agent");
    assertThat(bubbleText(1)).contains("New request from Sam Taylor", "Tap Answer, then write here");
    assertThat(bubbleText(2)).contains("💬 Sam Taylor", "Is the Nimbus in stock in black?");
    assertThat(page.width(By.xpath("(//div[contains(@class,'actions')]/button[text()='Answer'])[last()]")))
        .as("the Answer button is full size").isGreaterThan(120);
    assertNoSidewaysScrolling(width + " px, agent seat");
    screenshot("agent-" + width + "-request");

    tap("Answer");
    assertThat(bubbleText(3)).contains("You're answering Sam Taylor");
    say("Hi Sam, Alex from sales here. Yes, we have 3 in black!");
    page.waitForCount(By.cssSelector(".row.out .ticks.read"), 2);
    assertThat(page.botBubbleCount()).as("nothing more for the agent: the words went to Sam").isEqualTo(3);

    openChat("Sam Taylor");
    assertThat(bubbleText(3)).as("the agent's words, from the business").contains("Hi Sam, Alex from sales here.");
    assertThat(page.botBubbleCount()).as("the bot stayed quiet").isEqualTo(3);
    assertThat(page.text(By.id("chat-status"))).contains("with the sales team");
    assertNoSidewaysScrolling(width + " px, customer answered by a person");
    screenshot("agent-" + width + "-customer");

    openChat("Sales team (agent)");
    tap("Hand back to bot");
    assertThat(bubbleText(4)).contains("The bot is answering Sam Taylor", "handed back by you");
    screenshot("agent-" + width + "-handback");

    openChat("Sam Taylor");
    assertThat(bubbleText(4)).contains("Our team has finished helping you");
    say("headphones");
    assertThat(bubbleText(5)).contains("I found");
    page.waitFor(By.id("chat-status"), e -> e.getText().isEmpty());
    screenshot("agent-" + width + "-bot-again");
  }

  @Test
  @DisplayName("the page has an icon: /favicon.ico answers")
  void favicon() throws Exception {
    assertThat(Webhooks.get(page.app().httpPort(), "/favicon.ico").statusCode()).isEqualTo(200);
    assertThat(Webhooks.get(page.app().httpPort(), "/sandbox/favicon.svg").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a customer with a username and a hidden number chats, then changes number, and the conversation goes on")
  void usernameCustomerInTheBrowser() {
    open(WIDE);
    page.type(By.id("customer-name"), "Sheena Nelson");
    page.select(By.id("customer-country"), "1");
    page.click(By.id("customer-hidden"));
    page.type(By.id("customer-username"), "@realsheenanelson");
    page.click(By.id("add-customer"));
    page.waitForText(By.id("chat-name"), "@realsheenanelson · phone hidden");
    say("hi");
    assertThat(page.botBubble(1)).contains("Hi Sheena!");

    page.click(By.id("change-number"));
    page.waitForText(By.id("messages"), "🔄 User Sheena Nelson changed");
    say("menu");
    assertThat(page.botBubble(2)).contains("What would you like to do?");
    assertThat(page.text(By.id("timeline"))).doesNotContain("graph.undeliverable");
  }
}
