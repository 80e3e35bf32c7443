package io.wabot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabot.testing.RedisExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;

/**
 * The sandbox's two business numbers in headless Chromium against the real bot (issue 19): a customer
 * talks to Sales and to Support from the page, Support answers with its own copy ("Acme Support") and
 * Sales with the Sales copy ("Acme Electronics"), and each number's chat list shows only its own chats.
 * Screenshots in {@code target/sandbox-numbers-*.png}.
 */
class SandboxNumbersBrowserIT {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final int PHONE = 390;
  static final int LAPTOP = 1024;
  static final int WIDE = 1440;
  static final String SALES_COPY = "Acme Electronics";
  static final String SUPPORT_COPY = "Acme Support";

  @RegisterExtension
  final SandboxPage page = new SandboxPage();

  @BeforeEach
  void start() {
    page.startSandbox(REDIS.url());
  }

  // ---- what a person does ------------------------------------------------------------------------

  private void pick(String number) {
    page.click(By.cssSelector("#business-numbers button[data-name='" + number + "']"));
    page.waitFor(By.cssSelector("#business-numbers button[data-name='" + number + "']"),
        b -> "true".equals(b.getAttribute("aria-pressed")));
  }

  /** A customer the page knows starts a chat with the number picked: their WhatsApp number is enough. */
  private void addKnownCustomer(String phone) {
    page.read(By.id("customer-number"), e -> {
      e.clear();
      e.sendKeys(phone);
      return true;
    });
    page.click(By.id("add-customer"));
  }

  /** The names in the chat list, i.e. the chats of the number picked. */
  private List<String> chatList() {
    return page.texts(By.cssSelector("#customers li .who-name"));
  }

  /** Waits until the open chat is with {@code number} (its tag in the header). */
  private void chatIsWith(String number) {
    page.waitFor(By.id("chat-business"), tag -> tag.isDisplayed() && tag.getText().equals(number));
  }

  private List<String> botTexts() {
    return page.texts(By.cssSelector(".row.in .bubble"));
  }

  /** Displayed, and wholly inside the window (not cut off by the header's other parts). */
  private void assertInWindow(By by) {
    Object where = page.readVisible(by, element -> page.browser().executeScript("const r = arguments[0].getBoundingClientRect();"
        + "return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight"
        + " && r.right <= arguments[0].parentElement.getBoundingClientRect().right + 1 ? 'ok' : JSON.stringify(r);", element));
    assertThat(where).as(by + " in the window").isEqualTo("ok");
  }

  // ---- the tests ---------------------------------------------------------------------------------

  @Test
  @DisplayName("one customer talks to Sales and to Support: each number answers with its own copy, in its own chat,"
      + " and each number's list shows only its own chats")
  void salesAndSupport() throws Exception {
    page.open(WIDE, 900);
    page.waitFor(By.cssSelector("#business-numbers button[data-name='Sales']"), b -> "true".equals(b.getAttribute("aria-pressed")));

    page.addCustomer("Jamie Rivera", "1");
    chatIsWith("Sales");
    String jamie = page.attribute(By.cssSelector("#customers li.active"), "data-number");
    page.say("hi");
    page.waitForBotBubble(1, "Hi Jamie!");
    assertThat(page.botBubble(1)).contains(SALES_COPY).doesNotContain(SUPPORT_COPY);

    pick("Support");
    assertThat(chatList()).as("Support's chats before anyone wrote to it").containsExactly("Support team (agent)");
    addKnownCustomer(jamie);
    chatIsWith("Support");
    assertThat(page.attribute(By.id("text"), "placeholder")).isEqualTo("Message Support");
    page.say("hi");
    page.waitForBotBubble(1, SUPPORT_COPY);
    assertThat(botTexts()).as("Support's chat with Jamie").hasSize(1).noneMatch(t -> t.contains(SALES_COPY));
    // someone who writes only to Support
    page.addCustomer("Pat Kim", "44");
    chatIsWith("Support");
    page.say("hi");
    page.waitForBotBubble(1, "Hi Pat!");
    assertThat(page.botBubble(1)).contains(SUPPORT_COPY);
    assertThat(chatList()).containsExactly("Support team (agent)", "Jamie Rivera", "Pat Kim");
    page.assertNoSidewaysScrolling("1440, Support");
    page.screenshot("sandbox-numbers-1440-support");

    pick("Sales");
    assertThat(chatList()).as("Sales' chats: not Pat, who only wrote to Support").containsExactly("Sales team (agent)", "Jamie Rivera");
    page.click(By.cssSelector("#customers li[data-number='" + jamie + "']"));
    chatIsWith("Sales");
    assertThat(botTexts()).as("Sales' chat with Jamie").hasSize(1).allMatch(t -> t.contains(SALES_COPY))
        .noneMatch(t -> t.contains(SUPPORT_COPY));
    assertThat(page.texts(By.cssSelector(".row.out .bubble"))).singleElement().satisfies(t -> assertThat(t).startsWith("hi"));
    page.screenshot("sandbox-numbers-1440-sales");
  }

  @ParameterizedTest(name = "at {0} px")
  @ValueSource(ints = {PHONE, LAPTOP})
  @DisplayName("on a phone and a laptop the picker is reachable, switches the list, and a chat says which number it is with")
  void pickerOnSmallerScreens(int width) throws Exception {
    page.open(width, width == PHONE ? 844 : 900);
    page.assertReachable(By.cssSelector("#business-numbers button[data-name='Support']"));
    page.assertNoSidewaysScrolling(width + ", the list");

    pick("Support");
    page.addCustomer("Ana López", "52");
    chatIsWith("Support");
    assertInWindow(By.id("chat-business"));
    page.say("hola");
    page.waitForBotBubble(1, SUPPORT_COPY);
    page.assertNoSidewaysScrolling(width + ", Support's chat");
    page.screenshot("sandbox-numbers-" + width + "-support-chat");

    if (width == PHONE) {
      page.click(By.id("back-to-list"));
    }
    pick("Sales");
    assertThat(chatList()).as("Sales' chats: Ana only wrote to Support").containsExactly("Sales team (agent)");
    page.assertReachable(By.cssSelector("#business-numbers button[data-name='Support']"));
    page.assertNoSidewaysScrolling(width + ", Sales' list");
    page.screenshot("sandbox-numbers-" + width + "-sales-list");
  }
}
