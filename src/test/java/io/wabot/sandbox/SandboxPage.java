package io.wabot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabot.Application;
import io.wabot.config.AppConfig;
import io.wabot.testing.Futures;
import io.wabot.testing.HeadlessChrome;
import io.wabot.testing.TestApps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The sandbox page in headless Chromium against the bot in sandbox mode, for the browser tests. The page
 * re-draws the chat's rows, the chat list and the timeline whenever an entry or a status arrives, so an
 * element found a moment ago may be gone by the time it is read: every read here finds its element again
 * and reads it in one step, retried until it succeeds without a {@link StaleElementReferenceException}
 * (nothing here hands out a {@link WebElement} to read later). Registered as an extension, it quits the
 * browser and then stops the bot after each test, whether the test passed or not:
 *
 * <pre>{@code
 * @RegisterExtension final SandboxPage page = new SandboxPage();
 * page.startSandbox(REDIS.url());
 * page.open(1440, 900);
 * page.addCustomer("Ana López", "52");
 * page.say("hola");
 * assertThat(page.botBubble(1)).contains("Hola Ana");
 * }</pre>
 */
public final class SandboxPage implements AfterEachCallback, AutoCloseable {

  private static final By BOT_BUBBLES = By.cssSelector(".row.in .bubble");
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private Application app;
  private ChromeDriver browser;
  private WebDriverWait wait;
  private Path profile;

  // ---- the bot and the browser ---------------------------------------------------------------------

  /** The bot in sandbox mode on a free port, as {@code scripts/run} starts it. */
  public Application startSandbox(String redisUrl) {
    return start(TestApps.sandboxConfig(redisUrl));
  }

  /** The bot with this configuration; held before it has started, so that a failed start is stopped too. */
  public Application start(AppConfig config) {
    if (app != null) {
      throw new IllegalStateException("the bot is already started");
    }
    app = new Application(config);
    Futures.await(app.start(), Duration.ofSeconds(30));
    return app;
  }

  public Application app() {
    if (app == null) {
      throw new IllegalStateException("start the bot first");
    }
    return app;
  }

  /** Chromium at this window size with a fresh profile, on the sandbox page. */
  public void open(int width, int height) {
    if (browser != null) {
      throw new IllegalStateException("the browser is already open");
    }
    try {
      profile = Files.createTempDirectory("wabot-chromium-");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    browser = HeadlessChrome.start(profile, width, height);
    // A read that meets an element re-drawn meanwhile finds it again (NotFoundException is ignored already)
    wait = (WebDriverWait) new WebDriverWait(browser, PATIENCE).ignoring(StaleElementReferenceException.class);
    browser.get("http://127.0.0.1:" + app().httpPort() + "/sandbox");
  }

  /** The browser, for what has no helper here: scripts, navigation, DevTools. */
  public ChromeDriver browser() {
    if (browser == null) {
      throw new IllegalStateException("open the page first");
    }
    return browser;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  /** Quits the browser (and its driver), then stops the bot, whatever fails on the way. */
  @Override
  public void close() {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      browser = null;
      wait = null;
      try {
        TestApps.stop(app);
      } finally {
        app = null;
        deleteProfile();
      }
    }
  }

  private void deleteProfile() {
    if (profile == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      // a profile left in the temporary folder is no test's concern
    } finally {
      profile = null;
    }
  }

  // ---- waiting and reading, always on a freshly found element ---------------------------------------

  /**
   * Waits until {@code condition} gives something other than null or false, and returns it; a stale
   * element or one not there yet means "not yet". The condition must find what it reads itself.
   */
  public <T> T until(Function<WebDriver, T> condition) {
    if (wait == null) {
      throw new IllegalStateException("open the page first");
    }
    return wait.until(condition);
  }

  /** What {@code look} sees in the first element {@code by} finds, found again for every try. */
  public <T> T read(By by, Function<WebElement, T> look) {
    return until(d -> look.apply(d.findElement(by)));
  }

  /** As {@link #read}, once the element is displayed (the page's views show after its API calls answer). */
  public <T> T readVisible(By by, Function<WebElement, T> look) {
    return until(d -> {
      WebElement element = d.findElement(by);
      return element.isDisplayed() ? look.apply(element) : null;
    });
  }

  /** Waits until the first element {@code by} finds is as {@code expected}. */
  public void waitFor(By by, Predicate<WebElement> expected) {
    read(by, expected::test);
  }

  public String text(By by) {
    return read(by, WebElement::getText);
  }

  /** The text of the element once it is displayed. */
  public String visibleText(By by) {
    return readVisible(by, WebElement::getText);
  }

  /** Waits until the element's text contains {@code part}; returns the whole text. */
  public String waitForText(By by, String part) {
    return read(by, e -> {
      String text = e.getText();
      return text.contains(part) ? text : null;
    });
  }

  /** The texts of every element {@code by} finds, all read from one finding. */
  public List<String> texts(By by) {
    return until(d -> d.findElements(by).stream().map(WebElement::getText).toList());
  }

  public String attribute(By by, String name) {
    return read(by, e -> e.getAttribute(name));
  }

  /** The element's width on the page, in CSS pixels. */
  public int width(By by) {
    return read(by, e -> e.getRect().getWidth());
  }

  /** How many elements {@code by} finds now. */
  public int count(By by) {
    return browser().findElements(by).size();
  }

  /** Waits until {@code by} finds at least {@code atLeast} elements. */
  public void waitForCount(By by, int atLeast) {
    until(d -> d.findElements(by).size() >= atLeast);
  }

  /** Displayed now: false when the element is not on the page. */
  public boolean shown(String id) {
    // wrapped: false is an answer here, where the wait would take it for "not yet"
    return until(d -> {
      List<WebElement> found = d.findElements(By.id(id));
      return Optional.of(!found.isEmpty() && found.get(0).isDisplayed());
    }).get();
  }

  /** A script's number, e.g. {@code number("window.innerWidth")}. */
  public long number(String expression, Object... args) {
    return ((Number) browser().executeScript("return " + expression, args)).longValue();
  }

  // ---- the bot's bubbles ----------------------------------------------------------------------------

  public int botBubbleCount() {
    return count(BOT_BUBBLES);
  }

  /** Waits for the bot's {@code number}th bubble of the open chat (from 1). */
  public void waitForBotBubbles(int number) {
    waitForCount(BOT_BUBBLES, number);
  }

  /** The text of the bot's {@code number}th bubble of the open chat (from 1), once there. */
  public String botBubble(int number) {
    return until(d -> {
      List<WebElement> bubbles = d.findElements(BOT_BUBBLES);
      return bubbles.size() >= number ? bubbles.get(number - 1).getText() : null;
    });
  }

  /** Waits until the bot's {@code number}th bubble is there and says {@code part}. */
  public void waitForBotBubble(int number, String part) {
    until(d -> {
      List<WebElement> bubbles = d.findElements(BOT_BUBBLES);
      return bubbles.size() >= number && bubbles.get(number - 1).getText().contains(part);
    });
  }

  /** The text of the bot's last bubble in the open chat, once there is one. */
  public String lastBotText() {
    return until(d -> {
      List<WebElement> bubbles = d.findElements(BOT_BUBBLES);
      return bubbles.isEmpty() ? null : bubbles.get(bubbles.size() - 1).getText();
    });
  }

  /** Waits until the bot's last bubble says {@code part}. */
  public void waitForLastBotText(String part) {
    until(d -> {
      List<WebElement> bubbles = d.findElements(BOT_BUBBLES);
      return !bubbles.isEmpty() && bubbles.get(bubbles.size() - 1).getText().contains(part);
    });
  }

  // ---- what a person does ---------------------------------------------------------------------------

  /** Clicks the element once it is clickable; one re-drawn before the click is found again (a stale click does nothing). */
  public void click(By by) {
    until(d -> {
      WebElement element = ExpectedConditions.elementToBeClickable(by).apply(d);
      if (element == null) {
        return false;
      }
      element.click();
      return true;
    });
  }

  /** Types into the element once it is clickable. */
  public void type(By by, String text) {
    until(d -> {
      WebElement element = ExpectedConditions.elementToBeClickable(by).apply(d);
      if (element == null) {
        return false;
      }
      element.sendKeys(text);
      return true;
    });
  }

  public void select(By by, String value) {
    until(d -> {
      new Select(d.findElement(by)).selectByValue(value);
      return true;
    });
  }

  /** Adds a customer through the form at the top of the chat list; the new chat opens. */
  public void addCustomer(String name, String country) {
    type(By.id("customer-name"), name);
    select(By.id("customer-country"), country);
    click(By.id("add-customer"));
  }

  /** The customer writes {@code text} in the open chat and sends it. */
  public void say(String text) {
    type(By.id("text"), text);
    click(By.id("send"));
  }

  // ---- what the page must be at every width ----------------------------------------------------------

  /** Nothing sticks out sideways: no horizontal scrolling of the page or its body. */
  public void assertNoSidewaysScrolling(String where) {
    long viewport = number("window.innerWidth");
    assertThat(number("document.documentElement.scrollWidth")).as(where + ": page width").isLessThanOrEqualTo(viewport);
    assertThat(number("document.body.scrollWidth")).as(where + ": body width").isLessThanOrEqualTo(viewport);
  }

  /**
   * Displayed (waiting for it: a view changes after the page's API call answers), inside the window, at
   * least 24 px wide, and what a click there would hit.
   */
  public void assertReachable(By by) {
    Object hit = readVisible(by, element -> browser().executeScript("const r = arguments[0].getBoundingClientRect();"
        + "if (r.width < 24 || r.height < 20 || r.left < 0 || r.right > window.innerWidth || r.bottom > window.innerHeight) return 'outside: ' + JSON.stringify(r);"
        + "const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
        + "return arguments[0] === top || arguments[0].contains(top) ? 'ok' : 'covered by ' + (top && top.outerHTML.slice(0, 80));", element));
    assertThat(hit).as(by + " can be clicked").isEqualTo("ok");
  }

  /** Saves what the browser shows as {@code target/<name>.png} and checks that it shows something. */
  public Path screenshot(String name) throws IOException {
    Path file = HeadlessChrome.screenshot(browser(), name);
    assertThat(Files.size(file)).as(name + ".png").isGreaterThan(5_000);
    return file;
  }
}
