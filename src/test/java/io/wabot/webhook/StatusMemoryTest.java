package io.wabot.webhook;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.wabot.config.AppConfig;
import io.wabot.redis.RedisClients;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.whatsapp.inbound.StatusUpdate;
import io.wabot.whatsapp.inbound.StatusUpdate.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What keeping the delivery status of a reply costs Redis for {@code queue.statusRetention} (it was a hash
 * per message: 200 bytes of {@code MEMORY USAGE}, 232 priced, plus entries in Redis's key and expiry tables).
 */
class StatusMemoryTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  /** Meta's message ids are about 60 characters. */
  private static final String WAMID = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA%05d";
  private static final StatusUpdate.Pricing SERVICE = new StatusUpdate.Pricing("service", false, "PMP", "free_customer_service",
      null);

  private Vertx vertx;
  private Redis redis;
  private StatusStore store;
  private String prefix;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    AppConfig config = TestApps.liveConfig(REDIS.url());
    prefix = config.queue().keyPrefix();
    redis = RedisClients.pooled(vertx, config.redis());
    store = new StatusStore(redis, config);
  }

  @AfterEach
  void tearDown() {
    send(Request.cmd(Command.CONFIG).arg("SET").arg("hash-max-listpack-entries").arg(512));
    redis.close();
    await(vertx.close());
  }

  @Test
  @DisplayName("the status of a reply costs Redis at most 64 bytes at a thousand a day, at most 40 a reply more beyond")
  void bytesPerStatusInListpacks() {
    long bytes = report(0, 1000);
    double perStatus = bytes / 1000.0;
    long marginal = report(1000, 3000) - bytes;
    System.out.printf("status memory, listpack buckets: %.1f bytes a status at 1,000; %.1f bytes a status more up to 3,000%n",
        perStatus, marginal / 2000.0);
    assertThat(perStatus).as("bytes a status at 1,000 statuses in a day").isLessThanOrEqualTo(64);
    assertThat(marginal / 2000.0).as("bytes a status more").isLessThanOrEqualTo(40);
  }

  @Test
  @DisplayName("once a day's buckets are hash tables (over 512 entries a shard), a reply's status costs at most 80 bytes")
  void bytesPerStatusInHashTables() {
    // The buckets of a busy day (over 131,072 replies) are hash tables: make them so from the start.
    send(Request.cmd(Command.CONFIG).arg("SET").arg("hash-max-listpack-entries").arg(0));
    long bytes = report(0, 1000);
    long marginal = report(1000, 3000) - bytes;
    System.out.printf("status memory, hash-table buckets: %.1f bytes a status at 1,000; %.1f bytes a status more up to 3,000%n",
        bytes / 1000.0, marginal / 2000.0);
    assertThat(marginal / 2000.0).as("bytes a status more").isLessThanOrEqualTo(80);
  }

  /**
   * Reports what Meta reports for the replies numbered from {@code from} to {@code to}: sent (half of them
   * priced, as Meta prices each reply), delivered for 9 in 10, read for 7 in 10, in webhooks of up to 100
   * statuses; answers the {@code MEMORY USAGE} of every status bucket after.
   */
  private long report(int from, int to) {
    long at = System.currentTimeMillis() / 1000;
    for (Status status : List.of(Status.SENT, Status.DELIVERED, Status.READ)) {
      List<StatusUpdate> updates = new ArrayList<>();
      for (int i = from; i < to; i++) {
        boolean reported = status == Status.SENT || (status == Status.DELIVERED ? i % 10 != 0 : i % 10 < 7);
        if (reported) {
          updates.add(new StatusUpdate(String.format(WAMID, i), status, Instant.ofEpochSecond(at + status.rank()), null,
              List.of(), null, i % 2 == 0 ? SERVICE : null));
        }
      }
      for (int i = 0; i < updates.size(); i += 100) {
        List<StatusUpdate> webhook = updates.subList(i, Math.min(updates.size(), i + 100));
        assertThat(await(store.record(webhook)).changed()).doesNotContain(false);
      }
    }
    long bytes = 0;
    for (Response key : send(Request.cmd(Command.KEYS).arg(prefix + "status:*"))) {
      bytes += send(Request.cmd(Command.MEMORY).arg("USAGE").arg(key.toString()).arg("SAMPLES").arg(0)).toLong();
    }
    return bytes;
  }

  private Response send(Request request) {
    return await(redis.send(request));
  }
}
