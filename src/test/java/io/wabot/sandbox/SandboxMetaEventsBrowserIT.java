package io.wabot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The sandbox page's "Meta events" buttons in headless Chromium, each to what the bot visibly does: an
 * alert raised and resolved for the paused window template, an alert for the phone number's quality, the
 * bot gone quiet after a staff reply from the Business app, and a customer's message from an ad answered.
 * Leaves {@code target/sandbox-meta-events.png}.
 */
class SandboxMetaEventsBrowserIT {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  @RegisterExtension
  final SandboxPage page = new SandboxPage();

  @BeforeEach
  void start() {
    // the sandbox as scripts/run starts it, with a window template to pause and alerts checked often
    Map<String, String> env = new HashMap<>(Map.of("SANDBOX", "true", "REDIS_URL", REDIS.url(), "HTTP_PORT", "0",
        "WINDOW_TEMPLATE_NAME", "back_in_touch"));
    page.start(TestApps.config(env, new JsonObject().put("alerts", new JsonObject().put("checkInterval", "200ms"))));
    page.open(1440, 1000);
  }

  private void metaEvent(String event) {
    page.click(By.cssSelector("#meta-events button[data-event='" + event + "']"));
  }

  /** The alert's text once it shows in the list, read from the list as it is then. */
  private String alert(String state, String name) {
    return page.visibleText(By.cssSelector("#alerts li." + state + "[data-alert='" + name + "']"));
  }

  @Test
  @DisplayName("the Meta events buttons raise and resolve alerts, hand the chat to the staff, and bring a customer from an ad")
  void metaEvents() throws Exception {
    page.addCustomer("Ana López", "52");
    page.click(By.id("meta-events-title")); // the section opens

    metaEvent("from_ad");
    // the chat re-draws its rows as the bot's answer and the statuses arrive: the ad is found again to be read
    assertThat(page.visibleText(By.cssSelector(".row.out .bubble .ad"))).contains("Spring sale");
    page.waitForBotBubbles(1); // the bot answers the customer who came from the ad

    metaEvent("pause_template");
    assertThat(alert("fired", "template_unusable")).contains("back_in_touch").contains("PAUSED");
    metaEvent("approve_template"); // the same button, now offering to approve it again
    alert("resolved", "template_unusable");

    metaEvent("phone_red");
    assertThat(alert("fired", "phone_quality_low")).contains("FLAGGED");

    int before = page.botBubbleCount();
    metaEvent("staff_reply");
    page.waitForCount(By.cssSelector(".row.in .bubble .staff"), 1);
    int withStaff = before + 1;
    page.waitForBotBubbles(withStaff);
    page.say("¿sigue disponible?");
    // The bot marks it read in the same commit as any reply would be queued: once the ticks are blue, no
    // reply can follow, since a person from the app has the conversation.
    page.until(d -> Boolean.TRUE.equals(page.browser().executeScript("const rows = document.querySelectorAll('.row.out');"
        + "return rows.length > 0 && rows[rows.length - 1].textContent.includes('sigue disponible')"
        + " && rows[rows.length - 1].querySelector('.ticks.read') !== null")));
    assertThat(page.botBubbleCount()).as("the bot stays quiet").isEqualTo(withStaff);

    page.screenshot("sandbox-meta-events");
  }
}
