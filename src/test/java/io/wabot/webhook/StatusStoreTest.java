package io.wabot.webhook;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.wabot.config.AppConfig;
import io.wabot.redis.RedisClients;
import io.wabot.testing.CommandStats;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.whatsapp.inbound.StatusUpdate;
import io.wabot.whatsapp.inbound.StatusUpdate.Status;
import io.wabot.whatsapp.inbound.WebhookError;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The delivery statuses of sent messages as {@code POST /webhook} stores them and {@code GET /admin} reads them. */
class StatusStoreTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String P = "wabot:{bot}:";
  static final String WAMID = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA";
  static final long AT = 1764614400;
  static final StatusUpdate.Pricing MARKETING = new StatusUpdate.Pricing("marketing", true, "PMP", "regular", "conv-1");

  private Vertx vertx;
  private Redis redis;
  private AppConfig config;
  private StatusStore store;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    config = TestApps.liveConfig(REDIS.url());
    redis = RedisClients.pooled(vertx, config.redis());
    store = new StatusStore(redis, config);
  }

  @AfterEach
  void tearDown() {
    redis.close();
    await(vertx.close());
  }

  static StatusUpdate update(String wamid, Status status, long at) {
    return new StatusUpdate(wamid, status, Instant.ofEpochSecond(at), null, List.of());
  }

  static StatusUpdate priced(String wamid, Status status, long at, StatusUpdate.Pricing pricing) {
    return new StatusUpdate(wamid, status, Instant.ofEpochSecond(at), null, List.of(), null, pricing);
  }

  private List<Boolean> changed(StatusUpdate... updates) {
    return await(store.record(List.of(updates))).changed();
  }

  private JsonObject stored(String wamid) {
    return await(store.statusOf(wamid)).orElseThrow();
  }

  private Response send(Command command, String... args) {
    Request request = Request.cmd(command);
    for (String arg : args) {
      request.arg(arg);
    }
    return await(redis.send(request));
  }

  private String command(String... words) {
    return REDIS.server().command(words);
  }

  private boolean exists(String key) {
    return send(Command.EXISTS, key).toInteger() == 1;
  }

  @Test
  @DisplayName("a status only moves forward whatever order Meta reports it in, and failed is final, with its error code")
  void forwardOnly() {
    assertThat(await(store.statusOf(WAMID))).isEmpty();
    assertThat(changed(update(WAMID, Status.DELIVERED, AT + 2), update(WAMID, Status.SENT, AT),
        update(WAMID, Status.DELIVERED, AT + 2))).containsExactly(true, false, false);
    assertThat(stored(WAMID)).isEqualTo(new JsonObject().put("wamid", WAMID).put("status", "delivered").put("at", AT + 2));
    assertThat(changed(update(WAMID, Status.READ, AT + 9))).containsExactly(true);
    assertThat(stored(WAMID).getString("status")).isEqualTo("read");

    String failing = WAMID + "F";
    StatusUpdate failed = new StatusUpdate(failing, Status.FAILED, Instant.ofEpochSecond(AT + 5), null,
        List.of(new WebhookError(131026, "Message undeliverable", null, null)));
    assertThat(changed(update(failing, Status.SENT, AT), failed, update(failing, Status.READ, AT + 9)))
        .containsExactly(true, true, false);
    assertThat(stored(failing)).isEqualTo(new JsonObject().put("wamid", failing).put("status", "failed").put("at", AT + 5)
        .put("errorCode", 131026));
  }

  @Test
  @DisplayName("a message's pricing is kept and counted once, though sent, delivered and read each repeat it")
  void pricingCountedOnce() {
    StatusStore.Recorded recorded = await(store.record(List.of(priced(WAMID, Status.SENT, AT, MARKETING),
        priced(WAMID, Status.DELIVERED, AT + 1, MARKETING))));
    assertThat(recorded.priced()).containsExactly(true, false);
    assertThat(await(store.record(List.of(priced(WAMID, Status.READ, AT + 2, MARKETING)))).priced()).containsExactly(false);
    assertThat(await(store.record(List.of(priced(WAMID + "2", Status.SENT, AT, MARKETING)))).priced()).containsExactly(true);

    assertThat(stored(WAMID)).isEqualTo(new JsonObject().put("wamid", WAMID).put("status", "read").put("at", AT + 2)
        .put("pricing", new JsonObject().put("category", "marketing").put("billable", true).put("pricingModel", "PMP")));
    assertThat(await(store.pricing()).getJsonObject("categories").getJsonObject("marketing")).isEqualTo(new JsonObject()
        .put("messages", 2L).put("billable", 2L).put("conversations", 1L).put("billablePerConversation", 2.0));
  }

  @Test
  @DisplayName("a status echoing an outbound job's id settles that job when it waits without a result, once")
  void settlesJobsInDoubt() {
    command("HSET", P + "outbound:job:job-1", "payload", "{}", "cid", "c-1");
    StatusUpdate sent = new StatusUpdate(WAMID, Status.SENT, Instant.ofEpochSecond(AT), null, List.of(), "job-1");
    assertThat(await(store.record(List.of(sent))).settled()).containsExactly("job-1");
    assertThat(command("HGET", P + "outbound:job:job-1", "result")).isEqualTo(WAMID);
    assertThat(await(store.record(List.of(sent))).settled()).isEmpty();
  }

  @Test
  @DisplayName("statuses stored by earlier versions (a hash per message) are still read, and replaced at their next change")
  void earlierVersionsRecords() {
    String key = P + "status:" + WAMID;
    command("HSET", key, "status", "delivered", "rank", "2", "ts", Long.toString(AT), "code", "",
        "category", "utility", "billable", "0", "model", "PMP");
    command("PEXPIRE", key, "604800000");
    JsonObject utility = new JsonObject().put("category", "utility").put("billable", false).put("pricingModel", "PMP");
    assertThat(stored(WAMID)).isEqualTo(new JsonObject().put("wamid", WAMID).put("status", "delivered").put("at", AT)
        .put("pricing", utility));

    StatusUpdate.Pricing samePricing = new StatusUpdate.Pricing("utility", false, "PMP", "regular", "conv-1");
    StatusStore.Recorded repeated = await(store.record(List.of(priced(WAMID, Status.SENT, AT - 1, samePricing))));
    assertThat(repeated.changed()).containsExactly(false);
    assertThat(repeated.priced()).as("priced before the upgrade").containsExactly(false);
    assertThat(exists(key)).as("nothing changed: left as it was").isTrue();

    StatusStore.Recorded read = await(store.record(List.of(priced(WAMID, Status.READ, AT + 9, samePricing))));
    assertThat(read.changed()).containsExactly(true);
    assertThat(read.priced()).containsExactly(false);
    assertThat(exists(key)).as("replaced by the compact record").isFalse();
    assertThat(stored(WAMID)).isEqualTo(new JsonObject().put("wamid", WAMID).put("status", "read").put("at", AT + 9)
        .put("pricing", utility));
    assertThat(await(store.pricing()).getJsonObject("categories")).isEmpty();
  }

  @Test
  @DisplayName("a status stored on an earlier day is found and moved forward today, and kept the retention after today ends")
  void dayBoundary() {
    assertThat(changed(update(WAMID, Status.DELIVERED, AT))).containsExactly(true);
    long today = send(Command.TIME).get(0).toLong() / 86400;
    String todays = onlyStatusKey();
    assertThat(todays).startsWith(P + "status:" + today + ":");
    long retentionMs = config.queue().statusRetention().toMillis();
    assertThat(send(Command.PEXPIRETIME, todays).toLong()).isEqualTo((today + 1) * 86_400_000 + retentionMs);

    // As if stored the retention's number of days ago: still kept, so still found.
    String shard = todays.substring(todays.lastIndexOf(':') + 1);
    String daysAgo = P + "status:" + (today - retentionMs / 86_400_000) + ":" + shard;
    command("RENAME", todays, daysAgo);
    assertThat(stored(WAMID).getString("status")).isEqualTo("delivered");

    // Yesterday's: a repeated report leaves it there, a new one moves it to today.
    String yesterdays = P + "status:" + (today - 1) + ":" + shard;
    command("RENAME", daysAgo, yesterdays);
    assertThat(changed(update(WAMID, Status.DELIVERED, AT))).containsExactly(false);
    assertThat(onlyStatusKey()).isEqualTo(yesterdays);
    assertThat(changed(update(WAMID, Status.READ, AT + 60))).containsExactly(true);
    assertThat(onlyStatusKey()).isEqualTo(todays);
    assertThat(stored(WAMID)).isEqualTo(new JsonObject().put("wamid", WAMID).put("status", "read").put("at", AT + 60));
    assertThat(changed(update(WAMID, Status.DELIVERED, AT + 1))).containsExactly(false);
  }

  @Test
  @DisplayName("a year's retention widens the buckets to 53 days, so a status is looked for in 8 of them, not 366")
  void yearsRetention() {
    AppConfig yearly = TestApps.config(TestApps.liveEnv(REDIS.url()),
        new JsonObject().put("queue", new JsonObject().put("statusRetention", "365d")));
    StatusStore store = new StatusStore(redis, yearly);
    assertThat(await(store.record(List.of(update(WAMID, Status.SENT, AT)))).changed()).containsExactly(true);
    long today = send(Command.TIME).get(0).toLong() / 86400;
    long period = today - today % 53;
    String bucket = onlyStatusKey();
    assertThat(bucket).startsWith(P + "status:" + period + ":");
    assertThat(send(Command.PEXPIRETIME, bucket).toLong()).isEqualTo((period + 53) * 86_400_000 + 365 * 86_400_000L);

    // As if stored in the oldest bucket the year still keeps: found, and moved to this one by a new report.
    String shard = bucket.substring(bucket.lastIndexOf(':') + 1);
    String oldest = P + "status:" + (period - 7 * 53) + ":" + shard;
    command("RENAME", bucket, oldest);
    command("CONFIG", "RESETSTAT");
    assertThat(await(store.record(List.of(update(WAMID, Status.DELIVERED, AT + 5)))).changed()).containsExactly(true);
    assertThat(onlyStatusKey()).isEqualTo(bucket);
    assertThat(await(store.statusOf(WAMID)).orElseThrow().getString("status")).isEqualTo("delivered");
    assertThat(CommandStats.calls(send(Command.INFO, "commandstats").toString())).as("buckets looked in: 8 by the update, 1 by the lookup")
        .containsEntry("hget", 9L);
  }

  private String onlyStatusKey() {
    Response keys = send(Command.KEYS, P + "status:*");
    assertThat(keys.size()).as("status keys").isEqualTo(1);
    return keys.get(0).toString();
  }
}
