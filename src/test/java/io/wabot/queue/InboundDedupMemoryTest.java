package io.wabot.queue;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.wabot.redis.RedisClients;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.Webhooks;
import io.wabot.whatsapp.inbound.InboundJobs;
import io.wabot.whatsapp.inbound.WebhookParser;
import io.wabot.whatsapp.inbound.WebhookPayload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What remembering a WhatsApp message id costs Redis for the 7-day inbound dedup window, and that the
 * compact form still refuses every redelivery, in any process, those remembered by the per-id keys of
 * earlier versions included.
 */
class InboundDedupMemoryTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  /** Meta's message ids are about 60 characters. */
  private static final String WAMID = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzRUIwQzc0RjA4QTk5Q0I4RjhEOQA%05d";

  private QueueHarness harness;
  private Redis redis;
  private RedisJobQueue inbound;
  private RedisJobQueue otherProcess;

  @BeforeEach
  void setUp() {
    harness = new QueueHarness(REDIS.url());
    Vertx vertx = harness.process();
    redis = RedisClients.pooled(vertx, harness.config.redis());
    inbound = harness.queue(vertx, Queues.INBOUND);
    otherProcess = harness.queue(harness.process(), Queues.INBOUND);
    await(redis.send(Request.cmd(Command.FLUSHALL)));
  }

  @AfterEach
  void tearDown() {
    redis.close();
    harness.close();
  }

  @Test
  @DisplayName("remembering a message id for the inbound dedup window costs at most 40 bytes (it was about 130 as a key per id)")
  void bytesPerMessageId() {
    int messages = 1000;
    long start = System.currentTimeMillis() / 1000;
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      // 40 messages a second, the benchmark's rate: 25 seconds of traffic.
      jobs.add(inboundJob(String.format(WAMID, i), "1650555" + (1000 + i % 50), start + i / 40));
    }
    for (int i = 0; i < messages; i += 100) {
      assertThat(await(inbound.enqueue(jobs.subList(i, i + 100)))).hasSize(100);
    }

    long bytes = 0;
    int keys = 0;
    for (String key : keys(inbound.keyspace().key(Queues.INBOUND + ":dedup:*"))) {
      bytes += memoryUsage(key);
      keys++;
    }
    for (String key : keys(inbound.keyspace().key(Queues.INBOUND + ":seen:*"))) {
      bytes += memoryUsage(key);
      keys++;
    }
    double perMessage = (double) bytes / messages;
    assertThat(perMessage).as("bytes per message id kept for the dedup window (%d keys, %d bytes)", keys, bytes)
        .isLessThanOrEqualTo(40);
  }

  @Test
  @DisplayName("a redelivered message is refused in the window, by any process, also when remembered by an earlier version's key")
  void redeliveryRefused() {
    long now = System.currentTimeMillis() / 1000;
    NewJob message = inboundJob(String.format(WAMID, 1), "16505551001", now - 3600);
    assertThat(await(inbound.enqueue(List.of(message)))).containsExactly(message.id());
    Job claimed = ((ClaimableQueue.Claimed) await(inbound.claim("t"))).job();
    assertThat(await(inbound.ack(claimed, Commit.none()))).isTrue();

    // The job is gone: only the remembered id refuses the redelivery, here and in another process.
    assertThat(await(inbound.enqueue(List.of(message)))).isEmpty();
    assertThat(await(otherProcess.enqueue(List.of(message)))).isEmpty();
    assertThat(await(inbound.claim("t2"))).isInstanceOf(ClaimableQueue.Empty.class);

    // Stored by a version that kept one key per id (SET NX PX the window), then acknowledged.
    NewJob before = inboundJob(String.format(WAMID, 2), "16505551002", now - 86400);
    await(redis.send(Request.cmd(Command.SET).arg(inbound.keyspace().key(Queues.INBOUND + ":dedup:" + before.id()))
        .arg("1").arg("PX").arg(harness.config.queue().inboundDedupWindow().toMillis())));
    assertThat(await(otherProcess.enqueue(List.of(before)))).isEmpty();

    // A new message of the same minute and customer is still stored.
    NewJob next = inboundJob(String.format(WAMID, 3), "16505551001", now - 3600);
    assertThat(await(otherProcess.enqueue(List.of(next)))).containsExactly(next.id());
  }

  /** The inbound job the webhook makes of a text message sent at {@code epochSecond}. */
  private static NewJob inboundJob(String wamid, String from, long epochSecond) {
    JsonObject text = Webhooks.textMessage(wamid, from, "hi").put("timestamp", Long.toString(epochSecond));
    WebhookPayload payload = WebhookParser.parse(Webhooks.envelope(
        Webhooks.change("1234567890", new JsonArray().add(text), null)));
    WebhookPayload.Received received = payload.messages().get(0);
    return InboundJobs.of(received, received.message().customer().withKey("c-" + from), epochSecond * 1000);
  }

  private List<String> keys(String pattern) {
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      Response page = await(redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(1000)));
      cursor = page.get(0).toString();
      page.get(1).forEach(key -> keys.add(key.toString()));
    } while (!"0".equals(cursor));
    return keys;
  }

  private long memoryUsage(String key) {
    return await(redis.send(Request.cmd(Command.MEMORY).arg("USAGE").arg(key).arg("SAMPLES").arg(0))).toLong();
  }
}
