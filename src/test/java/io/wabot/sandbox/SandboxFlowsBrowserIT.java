package io.wabot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabot.testing.RedisExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;

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

  @RegisterExtension
  final SandboxPage page = new SandboxPage();

  static final int PHONE = 390;
  static final int WIDE = 1440;

  @BeforeEach
  void start() {
    page.startSandbox(REDIS.url());
  }

  private void open(int width) {
    page.open(width, width == PHONE ? 844 : 900);
  }

  private void onScreen(String title) {
    page.until(d -> d.findElement(By.id("flow-sheet")).isDisplayed()
        && d.findElement(By.id("flow-title")).getText().equals(title));
  }

  private void screenshot(String name) throws Exception {
    page.screenshot("sandbox-flow-" + name);
  }

  @ParameterizedTest(name = "{0} px wide")
  @ValueSource(ints = {PHONE, WIDE})
  @DisplayName("a customer reserves an item in the form: quantity, delivery slot from the stock, address, name; the team takes over")
  void reservesInTheForm(int width) throws Exception {
    open(width);
    page.addCustomer("Ada Lovelace", "1");
    page.say("AUD-001");
    page.waitForLastBotText("Nimbus ANC 700");
    page.click(By.xpath("(//div[contains(@class,'actions')]/button[text()='Reserve it'])[last()]"));

    page.click(By.cssSelector(".actions button.flow-open"));
    assertThat(page.lastBotText()).contains("Reserve *Nimbus ANC 700".replace("*", ""));
    onScreen("Reserve this item");
    assertThat(page.text(By.id("flow-body"))).contains("Nimbus ANC 700").contains("in stock");
    page.select(By.name("quantity"), "2");
    page.click(By.cssSelector("input[name='fulfilment'][value='delivery']"));
    page.click(By.id("flow-footer"));

    onScreen("Delivery");
    By slots = By.cssSelector("input[name='slot']");
    assertThat(page.count(slots)).as("two windows a day for three days, from the endpoint").isEqualTo(6);
    page.click(By.id("flow-footer"));
    page.waitForText(By.id("flow-error"), "Delivery slot");
    page.click(slots); // the first
    page.type(By.name("address"), "12 Privet Drive");
    assertThat(page.number("document.documentElement.scrollWidth")).as("the form fits the screen").isLessThanOrEqualTo(width);
    screenshot(width + "-delivery");
    page.click(By.id("flow-footer"));

    onScreen("Your name");
    assertThat(page.text(By.id("flow-body"))).contains("2 × Nimbus ANC 700");
    page.type(By.name("customer_name"), "Ada Lovelace");
    page.click(By.id("flow-footer"));

    page.until(d -> !d.findElement(By.id("flow-sheet")).isDisplayed());
    page.waitForLastBotText("Your reservation is with our sales team");
    assertThat(page.lastBotText()).contains("2 × Nimbus ANC 700").contains("12 Privet Drive").contains("Ada Lovelace");
    assertThat(page.texts(By.cssSelector(".row.out .bubble"))).anyMatch(t -> t.contains("Form sent"));
    if (width == PHONE) {
      page.click(By.id("toggle-events")); // on a phone "Under the hood" is a view of its own
    }
    page.waitForCount(By.cssSelector(".step[data-name='sandbox.flows_exchange']"), 4);
    String timeline = page.waitForText(By.id("timeline"), "handoff.requested");
    assertThat(timeline).contains("POST /flows INIT").contains("screen QUANTITY").contains("the flow closes")
        .contains("flows.completed");
    screenshot(width + "-reserved");
  }
}
