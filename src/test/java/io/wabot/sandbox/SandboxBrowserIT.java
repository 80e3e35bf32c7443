package io.wabot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The sandbox page in a real browser (Debian's chromium, headless): a new engineer's first minute.
 * Leaves {@code target/sandbox-screenshot.png} for people to look at.
 */
class SandboxBrowserIT {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  @TempDir
  Path profile;

  private Application app;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void start() {
    assertThat(new File(CHROMIUM).canExecute()).as("chromium is installed (apt-get install chromium chromium-driver)").isTrue();
    assertThat(new File(CHROMEDRIVER).canExecute()).as("chromedriver is installed (apt-get install chromium-driver)").isTrue();
    Map<String, String> env = new HashMap<>();
    env.put("SANDBOX", "true");
    env.put("REDIS_URL", REDIS.url());
    env.put("HTTP_PORT", "0");
    app = TestApps.start(TestApps.config(env, new JsonObject()));

    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--window-size=1440,900", "--user-data-dir=" + profile);
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build(), options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(15));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    TestApps.stop(app);
  }

  private List<WebElement> botBubbles() {
    return browser.findElements(By.cssSelector(".row.in .bubble"));
  }

  private WebElement waitForBotBubbles(int count) {
    wait.until(d -> botBubbles().size() >= count);
    return botBubbles().get(count - 1);
  }

  @Test
  @DisplayName("a new customer says hi, taps a reply button and a list row, and sees the bot answer each time")
  void chatInTheBrowser() throws Exception {
    browser.get("http://127.0.0.1:" + app.httpPort() + "/sandbox");

    browser.findElement(By.id("customer-name")).sendKeys("Jamie Rivera");
    new Select(browser.findElement(By.id("customer-country"))).selectByValue("1");
    browser.findElement(By.id("add-customer")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("text"))).sendKeys("hi");
    browser.findElement(By.id("send")).click();

    WebElement greeting = waitForBotBubbles(1);
    assertThat(greeting.getText()).contains("Hi Jamie!").contains("What would you like to do?");
    wait.until(d -> d.findElements(By.cssSelector(".row.in .actions button")).size() >= 3);
    WebElement browse = browser.findElement(By.xpath("//div[contains(@class,'actions')]/button[text()='Browse products']"));
    browse.click();

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

    Path screenshot = Path.of("target", "sandbox-screenshot.png");
    Files.createDirectories(screenshot.getParent());
    Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(screenshot)).isGreaterThan(10_000);
  }

  @Test
  @DisplayName("a customer with a username and a hidden number chats, then changes number, and the conversation goes on")
  void usernameCustomerInTheBrowser() {
    browser.get("http://127.0.0.1:" + app.httpPort() + "/sandbox");
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
