package io.wabot.reload;

import static io.wabot.testing.TwoApps.SALES;
import static io.wabot.testing.TwoApps.SECRET_X;
import static io.wabot.testing.TwoApps.SECRET_Y;
import static io.wabot.testing.TwoApps.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.config.NumberConfig;
import io.wabot.numbers.BusinessNumbers;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TwoApps;
import io.wabot.testing.Webhooks;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Numbers added and removed while the service runs, by the admin endpoint and by SIGHUP; an invalid file refused. */
class ConfigReloadTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String CUSTOMER = "16505551234";
  /** A number added to app Y by the reload, while Y's Support is removed. */
  static final String BILLING = "203000000000003";
  @RegisterExtension
  final TwoApps apps = new TwoApps(REDIS);

  private List<String> served() {
    return BusinessNumbers.of(apps.app().vertx(), apps.app().config().whatsapp()).all().stream().map(NumberConfig::label).toList();
  }

  private static JsonArray salesAndBilling() {
    return new JsonArray().add(TwoApps.number(SALES, "Sales", SECRET_X, TwoApps.VERIFY_X))
        .add(TwoApps.number(BILLING, "Billing", SECRET_Y, TwoApps.VERIFY_Y));
  }

  @Test
  @DisplayName("a valid file adds a number (its webhooks then queued) and removes one (its webhooks then ignored)")
  void addsAndRemoves() throws Exception {
    String early = Webhooks.newWamid();
    assertThat(apps.post(TwoApps.text(BILLING, early, CUSTOMER), SECRET_Y).statusCode()).isEqualTo(200);
    assertThat(apps.inboundJob(early)).as("not served yet").isNull();

    apps.writeNumbers(salesAndBilling());
    try (LogCapture logs = LogCapture.of(ConfigReload.class)) {
      HttpResponse<String> answer = apps.reload();
      assertThat(answer.statusCode()).isEqualTo(200);
      JsonObject outcome = new JsonObject(answer.body());
      assertThat(outcome.getJsonArray("added")).containsExactly("Billing");
      assertThat(outcome.getJsonArray("removed")).containsExactly("Support");
      assertThat(outcome.getJsonArray("changed")).isEmpty();
      assertThat(outcome.getJsonArray("needRestart")).as("only the numbers changed").isEmpty();
      ILoggingEvent reloaded = logs.await("config.reloaded");
      assertThat(LogCapture.value(reloaded, "trigger")).isEqualTo("admin");
      assertThat(LogCapture.value(reloaded, "added")).isEqualTo("[\"Billing\"]");
      assertThat(LogCapture.value(reloaded, "removed")).isEqualTo("[\"Support\"]");
    }
    assertThat(served()).containsExactly("Sales", "Billing");

    String toBilling = Webhooks.newWamid();
    assertThat(apps.post(TwoApps.text(BILLING, toBilling, CUSTOMER), SECRET_Y).statusCode()).isEqualTo(200);
    assertThat(apps.inboundJob(toBilling).getString("phoneNumberId")).isEqualTo(BILLING);

    String toSupport = Webhooks.newWamid();
    assertThat(apps.post(TwoApps.text(SUPPORT, toSupport, CUSTOMER), SECRET_Y).statusCode()).isEqualTo(200);
    assertThat(apps.inboundJob(toSupport)).as("Support is no longer served").isNull();
    assertThat(apps.metrics()).contains("wabot_webhook_changes_ignored_total{number=\"unknown\",reason=\"other_number\"} 2.0");
  }

  @Test
  @DisplayName("an invalid file is refused with 400 and one line per problem; the running numbers are kept")
  void invalidRefused() throws Exception {
    JsonArray broken = TwoApps.salesAndSupport()
        .add(TwoApps.number(SALES, "Again", SECRET_X, TwoApps.VERIFY_X))   // the same id twice
        .add(TwoApps.number(null, "No id", SECRET_X, TwoApps.VERIFY_X)); // no phoneNumberId
    apps.writeNumbers(broken);
    try (LogCapture logs = LogCapture.of(ConfigReload.class)) {
      HttpResponse<String> answer = apps.reload();
      assertThat(answer.statusCode()).isEqualTo(400);
      List<String> lines = answer.body().lines().toList();
      assertThat(lines).hasSize(2);
      assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("whatsapp.numbers[2].phoneNumberId").contains("repeats"));
      assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("whatsapp.numbers[3].phoneNumberId").contains("missing"));
      assertThat(LogCapture.value(logs.await("config.reload_refused"), "trigger")).isEqualTo("admin");
    }
    assertThat(served()).containsExactly("Sales", "Support");
    String toSupport = Webhooks.newWamid();
    assertThat(apps.post(TwoApps.text(SUPPORT, toSupport, CUSTOMER), SECRET_Y).statusCode()).isEqualTo(200);
    assertThat(apps.inboundJob(toSupport).getString("phoneNumberId")).isEqualTo(SUPPORT);

    apps.writeFile("{\"whatsapp\": {\"numbers\": [");
    HttpResponse<String> unreadable = apps.reload();
    assertThat(unreadable.statusCode()).isEqualTo(400);
    // The parser's message is folded into its line; the settings the file would have set are reported missing too.
    assertThat(unreadable.body().lines().toList()).first().asString().startsWith("CONFIG_FILE: cannot read");
    assertThat(unreadable.body().lines().toList()).allSatisfy(line -> assertThat(line).doesNotStartWith(" "));
    assertThat(served()).containsExactly("Sales", "Support");
  }

  @Test
  @DisplayName("a number answered by a bot that cannot be found is refused like at start-up")
  void unknownBotRefused() throws Exception {
    JsonArray numbers = TwoApps.salesAndSupport();
    numbers.getJsonObject(1).put("bot", new JsonObject().put("definition", "com.example.NoSuchBot"));
    apps.writeNumbers(numbers);
    HttpResponse<String> answer = apps.reload();
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body().lines().toList()).singleElement().asString().contains("com.example.NoSuchBot");
    assertThat(served()).containsExactly("Sales", "Support");
  }

  @Test
  @DisplayName("reloading needs the admin token")
  void needsAdminToken() throws Exception {
    assertThat(io.wabot.testing.Http.call(apps.port(), "POST", "/admin/config/reload", null).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("SIGHUP reloads the same way: a real signal sent to this JVM, with the handler Main installs")
  void sighup() throws Exception {
    apps.writeNumbers(salesAndBilling());
    try (LogCapture logs = LogCapture.of(ConfigReload.class)) {
      Optional<Runnable> installed = ReloadSignal.install(() -> apps.app().reload("sighup"));
      // A test JVM started with SIGHUP ignored (a build run under nohup) cannot take it; ReloadSignalTest covers that.
      Assumptions.assumeTrue(installed.isPresent(), "this JVM was started with SIGHUP ignored (nohup?)");
      Runnable restore = installed.get();
      try {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
        ILoggingEvent reloaded = logs.await("config.reloaded");
        assertThat(LogCapture.value(reloaded, "trigger")).isEqualTo("sighup");
      } finally {
        restore.run(); // the JVM's own SIGHUP handling (shut down) again
      }
    }
    assertThat(served()).containsExactly("Sales", "Billing");
  }
}
