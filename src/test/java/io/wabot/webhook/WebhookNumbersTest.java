package io.wabot.webhook;

import static io.wabot.testing.TwoApps.SALES;
import static io.wabot.testing.TwoApps.SECRET_X;
import static io.wabot.testing.TwoApps.SECRET_Y;
import static io.wabot.testing.TwoApps.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.Http;
import io.wabot.testing.TwoApps;
import io.wabot.testing.Webhooks;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One webhook URL for two numbers of two Meta apps: each app speaks for its own numbers only. */
class WebhookNumbersTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String CUSTOMER = "16505551234";
  @RegisterExtension
  final TwoApps apps = new TwoApps(REDIS);

  @Test
  @DisplayName("a body signed by an app for its number is queued as that number's, in that number's alias map")
  void eachAppForItsNumber() throws Exception {
    String toSales = Webhooks.newWamid();
    String toSupport = Webhooks.newWamid();
    assertThat(apps.post(TwoApps.text(SALES, toSales, CUSTOMER), SECRET_X).statusCode()).isEqualTo(200);
    assertThat(apps.post(TwoApps.text(SUPPORT, toSupport, "16505550000"), SECRET_Y).statusCode()).isEqualTo(200);

    assertThat(apps.inboundJob(toSales).getString("phoneNumberId")).isEqualTo(SALES);
    assertThat(apps.conversation(apps.keyOf(SALES, CUSTOMER))).containsExactly(toSales);
    assertThat(apps.keyOf(SUPPORT, CUSTOMER)).as("not a customer of Support").isNull();
    assertThat(apps.inboundJob(toSupport).getString("phoneNumberId")).isEqualTo(SUPPORT);
    assertThat(apps.conversation(apps.keyOf(SUPPORT, "16505550000"))).containsExactly(toSupport);
    assertThat(apps.metrics()).contains("wabot_webhook_fields_total{field=\"messages\",number=\"Sales\"} 1.0")
        .contains("wabot_webhook_fields_total{field=\"messages\",number=\"Support\"} 1.0");
  }

  @Test
  @DisplayName("app X cannot speak for app Y's number: that change is ignored with an event and a count, X's own is kept")
  void otherAppsNumberIgnored() throws Exception {
    String forged = Webhooks.newWamid();
    String own = Webhooks.newWamid();
    JsonObject body = Webhooks.envelope(TwoApps.message(SUPPORT, forged, CUSTOMER), TwoApps.message(SALES, own, CUSTOMER));
    try (LogCapture logs = LogCapture.of(WebhookRoutes.class)) {
      assertThat(apps.post(body, SECRET_X).statusCode()).isEqualTo(200);
      assertThat(logs.named("webhook.change_ignored")).singleElement().satisfies(event -> {
        assertThat(LogCapture.value(event, "reason")).isEqualTo("other_app");
        assertThat(LogCapture.value(event, "number")).isEqualTo("Support");
      });
    }
    assertThat(apps.inboundJob(own).getString("phoneNumberId")).isEqualTo(SALES);
    assertThat(apps.inboundJob(forged)).isNull();
    assertThat(apps.keyOf(SUPPORT, CUSTOMER)).as("nothing written to Support's alias map").isNull();
    assertThat(apps.metrics()).contains("wabot_webhook_changes_ignored_total{number=\"Support\",reason=\"other_app\"} 1.0");

    // The same change signed by Y, Support's app, is Support's.
    assertThat(apps.post(Webhooks.envelope(TwoApps.message(SUPPORT, forged, CUSTOMER)), SECRET_Y).statusCode()).isEqualTo(200);
    assertThat(apps.inboundJob(forged).getString("phoneNumberId")).isEqualTo(SUPPORT);
  }

  @Test
  @DisplayName("a change for a number not served is ignored with an event and a count, and answered 200")
  void unknownNumberIgnored() throws Exception {
    String stray = Webhooks.newWamid();
    try (LogCapture logs = LogCapture.of(WebhookRoutes.class)) {
      assertThat(apps.post(TwoApps.text("999999999999999", stray, CUSTOMER), SECRET_X).statusCode()).isEqualTo(200);
      assertThat(logs.named("webhook.change_ignored")).singleElement().satisfies(event -> {
        assertThat(LogCapture.value(event, "reason")).isEqualTo("other_number");
        assertThat(LogCapture.value(event, "phone_number_id")).isEqualTo("999999999999999");
      });
    }
    assertThat(apps.inboundJob(stray)).isNull();
    assertThat(apps.metrics()).contains("wabot_webhook_changes_ignored_total{number=\"unknown\",reason=\"other_number\"} 1.0");
  }

  @Test
  @DisplayName("the same customer writing to both numbers has two conversations, one per number")
  void sameCustomerTwoConversations() throws Exception {
    String toSales = Webhooks.newWamid();
    String toSupport = Webhooks.newWamid();
    assertThat(apps.post(TwoApps.text(SALES, toSales, CUSTOMER), SECRET_X).statusCode()).isEqualTo(200);
    assertThat(apps.post(TwoApps.text(SUPPORT, toSupport, CUSTOMER), SECRET_Y).statusCode()).isEqualTo(200);

    String salesKey = apps.keyOf(SALES, CUSTOMER);
    String supportKey = apps.keyOf(SUPPORT, CUSTOMER);
    assertThat(salesKey).isNotNull().startsWith("c_");
    assertThat(supportKey).isNotNull().startsWith("c_").isNotEqualTo(salesKey);
    assertThat(apps.conversation(salesKey)).containsExactly(toSales);
    assertThat(apps.conversation(supportKey)).containsExactly(toSupport);

    // The operator's view: each number's alias map, picked with ?number= (name or id), the default number's without.
    assertThat(customer(CUSTOMER, null).getString("key")).isEqualTo(salesKey);
    assertThat(customer(CUSTOMER, "support").getString("key")).isEqualTo(supportKey);
    assertThat(customer(CUSTOMER, SUPPORT).getString("key")).isEqualTo(supportKey);
    assertThat(Http.call(apps.port(), "GET", "/admin/customers/" + CUSTOMER + "?number=billing", null,
        "Authorization", "Bearer " + TwoApps.ADMIN_TOKEN).statusCode()).isEqualTo(404);
  }

  private io.vertx.core.json.JsonObject customer(String id, String number) throws Exception {
    java.net.http.HttpResponse<String> answer = Http.call(apps.port(), "GET", "/admin/customers/" + id
        + (number == null ? "" : "?number=" + number), null, "Authorization", "Bearer " + TwoApps.ADMIN_TOKEN);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return new io.vertx.core.json.JsonObject(answer.body());
  }

  @Test
  @DisplayName("a customer kept under their phone number by an earlier version is adopted by the default number only")
  void legacyKeysOnlyForTheDefaultNumber() throws Exception {
    String legacy = "16505559999";
    REDIS.server().command("SET", TwoApps.P + "state:" + legacy, "{}");
    assertThat(apps.post(TwoApps.text(SUPPORT, Webhooks.newWamid(), legacy), SECRET_Y).statusCode()).isEqualTo(200);
    assertThat(apps.post(TwoApps.text(SALES, Webhooks.newWamid(), legacy), SECRET_X).statusCode()).isEqualTo(200);

    assertThat(apps.keyOf(SALES, legacy)).as("the default number keeps the earlier version's conversation").isEqualTo(legacy);
    assertThat(apps.keyOf(SUPPORT, legacy)).as("another number starts its own").startsWith("c_");
  }

  @Test
  @DisplayName("the verification handshake accepts each app's verify token, and no other")
  void handshakeWithEachAppsToken() throws Exception {
    for (String token : new String[] {TwoApps.VERIFY_X, TwoApps.VERIFY_Y}) {
      var answer = Webhooks.get(apps.port(), "/webhook?hub.mode=subscribe&hub.verify_token=" + token + "&hub.challenge=4242");
      assertThat(answer.statusCode()).as(token).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("4242");
    }
    assertThat(Webhooks.get(apps.port(), "/webhook?hub.mode=subscribe&hub.verify_token=" + SECRET_X + "&hub.challenge=1")
        .statusCode()).isEqualTo(403);
  }

  @Test
  @DisplayName("a body signed with no served app's secret is refused 401")
  void unknownAppRefused() throws Exception {
    assertThat(apps.post(TwoApps.text(SALES, Webhooks.newWamid(), CUSTOMER), "secret-of-nobody").statusCode()).isEqualTo(401);
  }
}
