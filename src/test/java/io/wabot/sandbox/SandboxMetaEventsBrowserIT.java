package io.wabot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.testing.HeadlessChrome;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The sandbox page's "Meta events" buttons in headless Chromium, each to what the bot visibly does: an
 * alert raised and resolved for the paused window template, an alert for the phone number's quality, the
 * bot gone quiet after a staff reply from the Business app, and a customer's message from an ad answered.
 * Leaves {@code target/sandbox-meta-events.png}.
 */
class SandboxMetaEventsBrowserIT {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  @TempDir
  Path profile;

  private Application app;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void start() {
    // the sandbox as scripts/run starts it, with a window template to pause and alerts checked often
    Map<String, String> env = new HashMap<>(Map.of("SANDBOX", "true", "REDIS_URL", REDIS.url(), "HTTP_PORT", "0",
        "WINDOW_TEMPLATE_NAME", "back_in_touch"));
    app = TestApps.start(TestApps.config(env, new JsonObject().put("alerts", new JsonObject().put("checkInterval", "200ms"))));
    browser = HeadlessChrome.start(profile, 1440, 1000);
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

  private void metaEvent(String event) {
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#meta-events button[data-event='" + event + "']"))).click();
  }

  private List<WebElement> botBubbles() {
    return browser.findElements(By.cssSelector(".row.in .bubble"));
  }

  private WebElement alert(String state, String name) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#alerts li." + state + "[data-alert='" + name + "']")));
  }

  @Test
  @DisplayName("the Meta events buttons raise and resolve alerts, hand the chat to the staff, and bring a customer from an ad")
  void metaEvents() throws Exception {
    browser.findElement(By.id("customer-name")).sendKeys("Ana López");
    new Select(browser.findElement(By.id("customer-country"))).selectByValue("52");
    browser.findElement(By.id("add-customer")).click();
    browser.findElement(By.id("meta-events-title")).click(); // the section opens

    metaEvent("from_ad");
    WebElement fromAd = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".row.out .bubble .ad")));
    assertThat(fromAd.getText()).contains("Spring sale");
    wait.until(d -> botBubbles().size() >= 1); // the bot answers the customer who came from the ad

    metaEvent("pause_template");
    assertThat(alert("fired", "template_unusable").getText()).contains("back_in_touch").contains("PAUSED");
    metaEvent("approve_template"); // the same button, now offering to approve it again
    alert("resolved", "template_unusable");

    metaEvent("phone_red");
    assertThat(alert("fired", "phone_quality_low").getText()).contains("FLAGGED");

    int before = botBubbles().size();
    metaEvent("staff_reply");
    wait.until(d -> !d.findElements(By.cssSelector(".row.in .bubble .staff")).isEmpty());
    int withStaff = before + 1;
    wait.until(d -> botBubbles().size() >= withStaff);
    wait.until(ExpectedConditions.elementToBeClickable(By.id("text"))).sendKeys("¿sigue disponible?");
    browser.findElement(By.id("send")).click();
    // The bot marks it read in the same commit as any reply would be queued: once the ticks are blue, no
    // reply can follow, since a person from the app has the conversation.
    wait.until(d -> Boolean.TRUE.equals(browser.executeScript("const rows = document.querySelectorAll('.row.out');"
        + "return rows.length > 0 && rows[rows.length - 1].textContent.includes('sigue disponible')"
        + " && rows[rows.length - 1].querySelector('.ticks.read') !== null")));
    assertThat(botBubbles()).as("the bot stays quiet").hasSize(withStaff);

    assertThat(Files.size(HeadlessChrome.screenshot(browser, "sandbox-meta-events"))).isGreaterThan(5_000);
  }
}
