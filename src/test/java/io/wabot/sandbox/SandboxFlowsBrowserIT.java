package io.wabot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabot.Application;
import io.wabot.testing.HeadlessChrome;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
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
 * "Reserve this item" as a WhatsApp Flow on the sandbox page, in headless Chromium against the real bot:
 * the flow message's button opens the form over the chat, each screen goes to the bot's encrypted
 * {@code POST /flows} (through the simulator of Meta's client, with the sandbox's throwaway key), the
 * completion returns to the chat and the sales team takes over. On a phone and a wide screen; leaves
 * {@code target/sandbox-flow-<width>-*.png}.
 */
class SandboxFlowsBrowserIT {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  @TempDir
  Path profile;

  private Application app;
  private ChromeDriver browser;
  private WebDriverWait wait;

  static final int PHONE = 390;
  static final int WIDE = 1440;

  @BeforeEach
  void start() {
    app = TestApps.startSandbox(REDIS.url());
  }

  private void open(int width) {
    browser = HeadlessChrome.start(profile, width, width == PHONE ? 844 : 900);
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    browser.get("http://127.0.0.1:" + app.httpPort() + "/sandbox");
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    TestApps.stop(app);
  }

  private void say(String text) {
    wait.until(ExpectedConditions.elementToBeClickable(By.id("text"))).sendKeys(text);
    browser.findElement(By.id("send")).click();
  }

  private void click(By by) {
    wait.ignoring(StaleElementReferenceException.class).until(ExpectedConditions.elementToBeClickable(by)).click();
  }

  private List<WebElement> botBubbles() {
    return browser.findElements(By.cssSelector(".row.in .bubble"));
  }

  private String lastBotText() {
    return wait.ignoring(StaleElementReferenceException.class).until(d -> {
      List<WebElement> bubbles = botBubbles();
      return bubbles.isEmpty() ? null : bubbles.get(bubbles.size() - 1).getText();
    });
  }

  private void onScreen(String title) {
    wait.until(d -> d.findElement(By.id("flow-sheet")).isDisplayed()
        && d.findElement(By.id("flow-title")).getText().equals(title));
  }

  private void screenshot(String name) throws Exception {
    Path file = Path.of("target", "sandbox-flow-" + name + ".png");
    Files.createDirectories(file.getParent());
    Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    assertThat(Files.size(file)).isGreaterThan(5_000);
  }

  @ParameterizedTest(name = "{0} px wide")
  @ValueSource(ints = {PHONE, WIDE})
  @DisplayName("a customer reserves an item in the form: quantity, delivery slot from the stock, address, name; the team takes over")
  void reservesInTheForm(int width) throws Exception {
    open(width);
    browser.findElement(By.id("customer-name")).sendKeys("Ada Lovelace");
    new Select(browser.findElement(By.id("customer-country"))).selectByValue("1");
    browser.findElement(By.id("add-customer")).click();
    say("AUD-001");
    wait.until(d -> lastBotText().contains("Nimbus ANC 700"));
    click(By.xpath("(//div[contains(@class,'actions')]/button[text()='Reserve it'])[last()]"));

    click(By.cssSelector(".actions button.flow-open"));
    assertThat(lastBotText()).contains("Reserve *Nimbus ANC 700".replace("*", ""));
    onScreen("Reserve this item");
    assertThat(browser.findElement(By.id("flow-body")).getText()).contains("Nimbus ANC 700").contains("in stock");
    new Select(browser.findElement(By.name("quantity"))).selectByValue("2");
    click(By.cssSelector("input[name='fulfilment'][value='delivery']"));
    click(By.id("flow-footer"));

    onScreen("Delivery");
    List<WebElement> slots = browser.findElements(By.cssSelector("input[name='slot']"));
    assertThat(slots).as("two windows a day for three days, from the endpoint").hasSize(6);
    click(By.id("flow-footer"));
    wait.until(d -> d.findElement(By.id("flow-error")).getText().contains("Delivery slot"));
    slots.get(0).click();
    browser.findElement(By.name("address")).sendKeys("12 Privet Drive");
    assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).longValue())
        .as("the form fits the screen").isLessThanOrEqualTo(width);
    screenshot(width + "-delivery");
    click(By.id("flow-footer"));

    onScreen("Your name");
    assertThat(browser.findElement(By.id("flow-body")).getText()).contains("2 × Nimbus ANC 700");
    browser.findElement(By.name("customer_name")).sendKeys("Ada Lovelace");
    click(By.id("flow-footer"));

    wait.until(d -> !d.findElement(By.id("flow-sheet")).isDisplayed());
    wait.until(d -> lastBotText().contains("Your reservation is with our sales team"));
    assertThat(lastBotText()).contains("2 × Nimbus ANC 700").contains("12 Privet Drive").contains("Ada Lovelace");
    assertThat(browser.findElements(By.cssSelector(".row.out .bubble")).stream().map(WebElement::getText))
        .anyMatch(t -> t.contains("Form sent"));
    if (width == PHONE) {
      browser.findElement(By.id("toggle-events")).click(); // on a phone "Under the hood" is a view of its own
    }
    wait.until(d -> d.findElements(By.cssSelector(".step[data-name='sandbox.flows_exchange']")).size() >= 4);
    wait.until(d -> d.findElement(By.id("timeline")).getText().contains("handoff.requested"));
    String timeline = browser.findElement(By.id("timeline")).getText();
    assertThat(timeline).contains("POST /flows INIT").contains("screen QUANTITY").contains("the flow closes")
        .contains("flows.completed");
    screenshot(width + "-reserved");
  }
}
