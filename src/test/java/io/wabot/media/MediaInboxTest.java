package io.wabot.media;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.customer.CustomerIdentity;
import io.wabot.queue.Job;
import io.wabot.queue.Keyspace;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.whatsapp.inbound.InboundMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** How long a media message waits for its download: counted from its first look, not from its arrival. */
class MediaInboxTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();
  static final Duration TURN_WAIT = Duration.ofMinutes(30);

  @TempDir
  Path temp;
  Vertx vertx;
  Redis redis;
  AppConfig config;
  MediaInbox inbox;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    config = TestApps.liveConfig(REDIS.url());
    redis = Redis.createClient(vertx, REDIS.url());
    inbox = new MediaInbox(redis, Keyspace.of(config.queue()),
        new RedisJobQueue(vertx, redis, config.queue(), config.redis(), Queues.MEDIA),
        new FileSystemMediaStore(vertx, temp, 0), TURN_WAIT);
  }

  @AfterEach
  void stop() {
    redis.close();
    await(vertx.close());
  }

  static InboundMessage.Media photo(String wamid) {
    CustomerIdentity customer = CustomerIdentity.ofPhone("16505551234");
    return new InboundMessage.Media(new InboundMessage.Meta(wamid, customer, "Sam", Instant.now(), null, TestApps.PHONE_NUMBER_ID),
        "image", "1234", "image/jpeg", null, null, false);
  }

  static Job claim(String wamid, long enqueuedAtMs, long claimedAtMs) {
    return new Job(wamid, Queues.INBOUND, "c1", new JsonObject(), 1, enqueuedAtMs, claimedAtMs, null, null);
  }

  @Test
  @DisplayName("a photo that waited an hour in a backlog still gets its download; it gives up media.turnWait after its first look")
  void waitCountsFromTheFirstLook() {
    long now = System.currentTimeMillis();
    InboundMessage.Media photo = photo("wamid.BACKLOG1");
    long hourAgo = now - Duration.ofHours(1).toMillis();

    Optional<ReceivedMedia> first = await(inbox.receive(claim(photo.id(), hourAgo, now), photo, photo.customer()));
    assertThat(first).as("still waiting for the download it just queued").isEmpty();
    assertThat(REDIS.server().command("EXISTS", config.queue().keyPrefix() + "media:job:" + photo.id() + ":media"))
        .contains("1");

    long later = now + TURN_WAIT.toMillis() - 1000;
    assertThat(await(inbox.receive(claim(photo.id(), hourAgo, later), photo, photo.customer()))).isEmpty();

    long tooLate = now + TURN_WAIT.toMillis();
    ReceivedMedia gaveUp = await(inbox.receive(claim(photo.id(), hourAgo, tooLate), photo, photo.customer())).orElseThrow();
    assertThat(gaveUp.stored()).isFalse();
    assertThat(gaveUp.failure().reason()).isEqualTo(MediaFailure.Reason.TRANSPORT);
    assertThat(gaveUp.failure().detail()).contains("media.turnWait");
  }
}
