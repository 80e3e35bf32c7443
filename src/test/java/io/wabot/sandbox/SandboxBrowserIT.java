package io.wabot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabot.Application;
import io.wabot.testing.HeadlessChrome;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

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

  @TempDir
  Path profile;

  private Application app;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void start() {
    app = TestApps.startSandbox(REDIS.url());
  }

  private void open(int width) {
    browser = HeadlessChrome.start(profile, width, width == PHONE ? 844 : 900);
    wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    browser.get("http://127.0.0.1:" + app.httpPort() + "/sandbox");
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    TestApps.stop(app);
  }

  // ---- what a person does ------------------------------------------------------------------------

  private void addCustomer(String name, String country) {
    browser.findElement(By.id("customer-name")).sendKeys(name);
    new Select(browser.findElement(By.id("customer-country"))).selectByValue(country);
    browser.findElement(By.id("add-customer")).click();
  }

  private void say(String text) {
    wait.until(ExpectedConditions.elementToBeClickable(By.id("text"))).sendKeys(text);
    browser.findElement(By.id("send")).click();
  }

  private void tap(String buttonTitle) {
    wait.until(ExpectedConditions.elementToBeClickable(
        By.xpath("(//div[contains(@class,'actions')]/button[text()='" + buttonTitle + "'])[last()]"))).click();
  }

  private List<WebElement> botBubbles() {
    return browser.findElements(By.cssSelector(".row.in .bubble"));
  }

  private WebElement waitForBotBubbles(int count) {
    wait.until(d -> botBubbles().size() >= count);
    return botBubbles().get(count - 1);
  }

  private void screenshot(String name) throws Exception {
    Path file = Path.of("target", "sandbox-" + name + ".png");
    Files.createDirectories(file.getParent());
    Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    assertThat(Files.size(file)).isGreaterThan(5_000);
  }

  // ---- what the page must be -----------------------------------------------------------------------

  private long script(String expression, Object... args) {
    return ((Number) browser.executeScript("return " + expression, args)).longValue();
  }

  /** Nothing sticks out sideways: no horizontal scrolling, at any width, in any view. */
  private void assertNoSidewaysScrolling(String where) {
    long viewport = script("window.innerWidth");
    assertThat(script("document.documentElement.scrollWidth")).as(where + ": page width").isLessThanOrEqualTo(viewport);
    assertThat(script("document.body.scrollWidth")).as(where + ": body width").isLessThanOrEqualTo(viewport);
  }

  /**
   * Displayed (waiting for it: a view changes after the page's API call answers), inside the window, at
   * least 24 px wide, and what a click there would hit.
   */
  private void assertReachable(String id) {
    WebElement element = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    Object hit = browser.executeScript("const r = arguments[0].getBoundingClientRect();"
        + "if (r.width < 24 || r.height < 20 || r.left < 0 || r.right > window.innerWidth || r.bottom > window.innerHeight) return 'outside: ' + JSON.stringify(r);"
        + "const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
        + "return arguments[0] === top || arguments[0].contains(top) ? 'ok' : 'covered by ' + (top && top.outerHTML.slice(0, 80));", element);
    assertThat(hit).as(id + " can be clicked").isEqualTo("ok");
  }

  private boolean shown(String id) {
    List<WebElement> found = browser.findElements(By.id(id));
    return !found.isEmpty() && found.get(0).isDisplayed();
  }

  @Test
  @DisplayName("a new customer says hi, taps a reply button and a list row, and sees the bot answer each time")
  void chatInTheBrowser() throws Exception {
    open(WIDE);
    addCustomer("Jamie Rivera", "1");
    say("hi");

    WebElement greeting = waitForBotBubbles(1);
    assertThat(greeting.getText()).contains("Hi Jamie!").contains("What would you like to do?");
    wait.until(d -> d.findElements(By.cssSelector(".row.in .actions button")).size() >= 3);
    tap("Browse products");

    WebElement categories = waitForBotBubbles(2);
    assertThat(categories.getText()).contains("Pick a category");
    browser.findElement(By.cssSelector(".row.in .actions button.list-open")).click();
    WebElement audio = wait.until(ExpectedConditions.elementToBeClickable(
        By.xpath("//button[contains(@class,'sheet-row')][.//span[@class='title' and text()='Audio']]")));
    audio.click();

    WebElement items = waitForBotBubbles(3);
    assertThat(items.getText()).contains("products in Audio");
    wait.until(d -> d.findElements(By.cssSelector(".row.out .ticks.read")).size() >= 3);
    assertThat(browser.findElement(By.id("timeline")).getText())
        .contains("inbound.queued").contains("conversation.turn").contains("outbound.sent");

    // a reply quotes the message it answers in words, without WhatsApp's *markup*, cut after a whole word
    List<WebElement> quotes = browser.findElements(By.cssSelector(".row.out .quote"));
    assertThat(quotes).isNotEmpty().allSatisfy(quote -> assertThat(quote.getText())
        .doesNotContain("*").matches("(?s).*(\\S…|[\\p{L}\\p{N}\\p{P}\\p{So}])$"));
    assertThat(browser.findElement(By.cssSelector("#customers li:not(.agent) .who-last")).getText()).as("the chat list's preview")
        .contains("Audio").doesNotContain("*");
    screenshot("1440-chat");
  }

  @Test
  @DisplayName("a customer attaches a photo and picks the sample PDF: both are downloaded and stored (Under the hood"
      + " shows the steps with timings), acknowledged, and the photo reaches the agent's chat as a picture")
  void mediaInTheBrowser() throws Exception {
    Path photo = profile.resolve("charger.png");
    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D paint = image.createGraphics();
    paint.setColor(new java.awt.Color(0x25, 0xD3, 0x66));
    paint.fillRect(0, 0, 64, 48);
    paint.dispose();
    javax.imageio.ImageIO.write(image, "png", photo.toFile());
    open(WIDE);
    addCustomer("Jamie Rivera", "1");
    say("hi");
    waitForBotBubbles(1);

    // What the menu's "Photo or PDF from this computer" opens: a headless browser has no file dialog to answer.
    WebElement picker = browser.findElement(By.id("attach-file"));
    browser.executeScript("arguments[0].hidden = false;", picker);
    picker.sendKeys(photo.toAbsolutePath().toString());
    browser.executeScript("arguments[0].hidden = true;", picker);
    wait.until(d -> botBubbles().size() >= 2 && botBubbles().get(1).getText().contains("Thanks for the photo"));
    WebElement sent = browser.findElement(By.cssSelector(".row.out img.media-img"));
    wait.until(d -> script("arguments[0].naturalWidth", sent) == 64);

    browser.findElement(By.id("attach")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#attach-menu button[data-kind='document']"))).click();
    wait.until(d -> botBubbles().size() >= 3 && botBubbles().get(2).getText().contains("received your document"));
    if (!shown("events-panel")) {
      browser.findElement(By.id("toggle-events")).click();
    }
    wait.until(d -> d.findElement(By.id("timeline")).getText().contains("media.stored"));
    assertThat(browser.findElement(By.id("timeline")).getText()).contains("media.download_queued")
        .containsPattern("Stored a customer's image \\(\\d+ bytes\\) in \\d+ ms");
    screenshot("1440-media");

    tap("Talk to a person");
    wait.until(d -> botBubbles().size() >= 4);
    // The agent's chat gets the request, then the photo and the PDF; the list re-renders as each arrives.
    wait.ignoring(StaleElementReferenceException.class)
        .until(d -> d.findElement(By.cssSelector("#customers li.agent")).getText().contains("price-list.pdf"));
    wait.ignoring(StaleElementReferenceException.class).until(d -> {
      d.findElement(By.cssSelector("#customers li.agent")).click();
      return true;
    });
    wait.until(d -> script("document.querySelector('.row.in img.media-img')?.naturalWidth ?? 0") == 64);
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
    waitForBotBubbles(1);
    wait.until(d -> d.findElements(By.cssSelector(".row.in .actions button")).size() >= 3);
    assertNoSidewaysScrolling(at + ", chat");
    for (String id : List.of("text", "send", "attach", "toggle-events")) {
      assertReachable(id);
    }
    WebElement firstButton = browser.findElement(By.cssSelector(".row.in .actions button"));
    assertThat(firstButton.getRect().getWidth()).as("reply buttons are full size").isGreaterThan(120);
    long chatWidth = browser.findElement(By.id("chat")).getRect().getWidth();
    screenshot(width + "-chat");

    // Under the hood: a column of its own on a wide screen (open from the start), over the chat on a
    // laptop, a view of its own on a phone; the chat never collapses
    if (!shown("events-panel")) {
      browser.findElement(By.id("toggle-events")).click();
    }
    wait.until(d -> shown("events-panel"));
    wait.until(d -> d.findElement(By.id("timeline")).getText().contains("conversation.turn"));
    assertNoSidewaysScrolling(at + ", panel open");
    if (width == PHONE) {
      assertReachable("close-events");
      assertThat(shown("chat")).as("on a phone the panel is a view of its own").isFalse();
    } else {
      assertThat(browser.findElement(By.id("chat")).getRect().getWidth()).as("the chat keeps its width").isEqualTo(chatWidth);
      assertThat(chatWidth).isGreaterThan(400);
      assertReachable(width == WIDE ? "toggle-events" : "close-events");
    }
    screenshot(width + "-panel");

    browser.findElement(By.id(width == WIDE ? "toggle-events" : "close-events")).click();
    wait.until(d -> !shown("events-panel"));
    assertReachable("text");
    assertReachable("toggle-events");
    assertNoSidewaysScrolling(at + ", panel closed");

    if (width == PHONE) {
      assertReachable("back-to-list");
      browser.findElement(By.id("back-to-list")).click();
      wait.until(d -> shown("customers") && !shown("chat"));
      assertReachable("add-customer");
      assertNoSidewaysScrolling(at + ", chat list");
      screenshot(width + "-list");
      browser.findElement(By.cssSelector("#customers li")).click();
      wait.until(d -> shown("chat"));
      assertReachable("text");
    }
  }

  @Test
  @DisplayName("after a reload read chats have no unread badge, and the one with an unread answer has one")
  void unreadAfterReload() {
    open(WIDE);
    addCustomer("Ana López", "52");
    say("hola");
    waitForBotBubbles(1);
    addCustomer("Sam Taylor", "1");
    say("hi");
    waitForBotBubbles(1);
    wait.until(d -> d.findElements(By.cssSelector(".row.out .ticks.read")).size() >= 1);
    // Ana gets an answer while Sam's chat is open: unread
    browser.findElement(By.xpath("//ul[@id='customers']/li[.//div[@class='who-name' and text()='Sam Taylor']]")).click();

    browser.navigate().refresh();
    wait.until(d -> d.findElements(By.cssSelector("#customers li:not(.agent)")).size() == 2);
    wait.until(d -> botBubbles().size() >= 1);
    assertThat(browser.findElements(By.cssSelector("#customers .badge"))).as("badges after a reload").isEmpty();
  }

  @Test
  @DisplayName("in a hand-off the bot stays quiet without 'typing…', the wait is no error, and times read as times")
  void handoffOnThePage() throws Exception {
    open(WIDE);
    addCustomer("Sam Taylor", "1");
    say("hi");
    waitForBotBubbles(1);
    say("agent");
    WebElement ack = waitForBotBubbles(2);
    assertThat(ack.getText()).contains("sales team");
    wait.until(d -> d.findElement(By.id("timeline")).getText().contains("job.postponed"));
    say("are you there?");
    wait.until(d -> d.findElement(By.id("timeline")).getText().contains("handoff.forwarded"));
    wait.until(d -> d.findElements(By.cssSelector(".row.out .ticks.read")).size() >= 3);
    assertThat(browser.findElement(By.id("chat-status")).getText()).as("no typing while the bot is quiet")
        .doesNotContain("typing").contains("with the sales team");
    assertThat(botBubbles()).as("the bot said nothing more").hasSize(2);

    WebElement postponed = browser.findElement(By.cssSelector(".step[data-name='job.postponed']"));
    assertThat(postponed.getAttribute("class")).contains("wait").doesNotContain("warn").doesNotContain("error");
    assertThat(postponed.getText()).contains("hand-off timer").doesNotContain("delay_ms").doesNotContainPattern("\\d{5,}");
    assertThat(browser.findElement(By.id("timeline")).getText()).doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T");
    screenshot("handoff");

    browser.findElement(By.xpath("//ul[@id='customers']/li[.//div[@class='who-name' and text()='Sales team (agent)']]")).click();
    wait.until(d -> botBubbles().size() >= 2);
    assertThat(botBubbles().get(0).getText()).contains("New request from Sam Taylor").contains("stays quiet until")
        .doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T");
    assertThat(browser.findElement(By.id("chat-status")).getText()).isEmpty();
  }

  /** Opens a chat from the chat list by its name; on a phone, goes back to the list first. */
  private void openChat(String name) {
    if (!shown("customers")) {
      browser.findElement(By.id("back-to-list")).click();
      wait.until(d -> shown("customers"));
    }
    wait.until(ExpectedConditions.elementToBeClickable(
        By.xpath("//ul[@id='customers']/li[.//div[@class='who-name' and text()='" + name + "']]"))).click();
    wait.until(d -> shown("chat") && d.findElement(By.id("chat-name")).getText().startsWith(name));
  }

  private String bubbleText(int number) {
    return wait.ignoring(StaleElementReferenceException.class) // the chat re-renders as entries arrive
        .until(d -> botBubbles().size() >= number ? botBubbles().get(number - 1).getText() : null);
  }

  @ParameterizedTest(name = "{0} px wide")
  @ValueSource(ints = {PHONE, LAPTOP})
  @DisplayName("playing the agent: the request arrives in the agent seat, the agent answers, the customer gets it from the"
      + " business while the bot is quiet, and one button hands back to the bot")
  void agentSeat(int width) throws Exception {
    open(width);
    addCustomer("Sam Taylor", "1");
    say("hi");
    waitForBotBubbles(1);
    say("agent");
    assertThat(bubbleText(2)).contains("a person will reply right here");
    say("Is the Nimbus in stock in black?");
    wait.until(d -> d.findElements(By.cssSelector(".row.out .ticks.read")).size() >= 3);
    wait.until(d -> d.findElement(By.id("chat-status")).getText().contains("with the sales team"));

    openChat("Sales team (agent)");
    assertThat(browser.findElement(By.id("chat-name")).getText()).contains("you play the agent");
    assertThat(bubbleText(1)).contains("New request from Sam Taylor", "Tap Answer, then write here");
    assertThat(bubbleText(2)).contains("💬 Sam Taylor", "Is the Nimbus in stock in black?");
    WebElement answer = browser.findElement(By.xpath("(//div[contains(@class,'actions')]/button[text()='Answer'])[last()]"));
    assertThat(answer.getRect().getWidth()).as("the Answer button is full size").isGreaterThan(120);
    assertNoSidewaysScrolling(width + " px, agent seat");
    screenshot("agent-" + width + "-request");

    tap("Answer");
    assertThat(bubbleText(3)).contains("You're answering Sam Taylor");
    say("Hi Sam, Alex from sales here. Yes, we have 3 in black!");
    wait.until(d -> d.findElements(By.cssSelector(".row.out .ticks.read")).size() >= 2);
    assertThat(botBubbles()).as("nothing more for the agent: the words went to Sam").hasSize(3);

    openChat("Sam Taylor");
    assertThat(bubbleText(3)).as("the agent's words, from the business").contains("Hi Sam, Alex from sales here.");
    assertThat(botBubbles()).as("the bot stayed quiet").hasSize(3);
    assertThat(browser.findElement(By.id("chat-status")).getText()).contains("with the sales team");
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
    wait.until(d -> d.findElement(By.id("chat-status")).getText().isEmpty());
    screenshot("agent-" + width + "-bot-again");
  }

  @Test
  @DisplayName("the page has an icon: /favicon.ico answers")
  void favicon() throws Exception {
    assertThat(Webhooks.get(app.httpPort(), "/favicon.ico").statusCode()).isEqualTo(200);
    assertThat(Webhooks.get(app.httpPort(), "/sandbox/favicon.svg").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a customer with a username and a hidden number chats, then changes number, and the conversation goes on")
  void usernameCustomerInTheBrowser() {
    open(WIDE);
    browser.findElement(By.id("customer-name")).sendKeys("Sheena Nelson");
    new Select(browser.findElement(By.id("customer-country"))).selectByValue("1");
    browser.findElement(By.id("customer-hidden")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("customer-username"))).sendKeys("@realsheenanelson");
    browser.findElement(By.id("add-customer")).click();
    wait.until(d -> d.findElement(By.id("chat-name")).getText().contains("@realsheenanelson · phone hidden"));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("text"))).sendKeys("hi");
    browser.findElement(By.id("send")).click();
    assertThat(waitForBotBubbles(1).getText()).contains("Hi Sheena!");

    browser.findElement(By.id("change-number")).click();
    wait.ignoring(StaleElementReferenceException.class) // the chat re-renders as entries arrive
        .until(d -> d.findElement(By.id("messages")).getText().contains("🔄 User Sheena Nelson changed"));
    browser.findElement(By.id("text")).sendKeys("menu");
    browser.findElement(By.id("send")).click();
    assertThat(waitForBotBubbles(2).getText()).contains("What would you like to do?");
    assertThat(browser.findElement(By.id("timeline")).getText()).doesNotContain("graph.undeliverable");
  }
}
