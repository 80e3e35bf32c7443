package io.wabot.media;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.wabot.config.NumberConfig;
import io.wabot.config.Secret;
import io.wabot.config.WhatsAppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.observability.Correlation;
import io.wabot.queue.Keyspace;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.testing.RedisServer;
import io.wabot.sender.GraphApiClient;
import io.wabot.sender.SendResult;
import io.wabot.whatsapp.outbound.InvalidMessageException;
import io.wabot.whatsapp.outbound.MediaMessage;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaUploaderTest {

  static final String TOKEN = "EAAG-upload-test-token-77";
  static final String PHONE_ID = "106540352242922";
  static final String CUSTOMER = "16505551234";
  static RedisServer redisServer;

  @TempDir
  Path temp;
  Vertx vertx;
  GraphApiSimulator simulator;
  Redis redis;
  MediaStore store;
  MediaUploader uploader;

  @BeforeAll
  static void startRedis() {
    redisServer = RedisServer.startNew();
  }

  @AfterAll
  static void stopRedis() {
    redisServer.close();
  }

  @BeforeEach
  void start() {
    redisServer.flushAll();
    vertx = Vertx.vertx();
    simulator = new GraphApiSimulator(vertx, TOKEN, PHONE_ID);
    await(simulator.listen("127.0.0.1", 0));
    redis = Redis.createClient(vertx, redisServer.url());
    store = new FileSystemMediaStore(vertx, temp.resolve("media"), 0);
    uploader = uploader(TOKEN);
  }

  MediaUploader uploader(String token) {
    return new MediaUploader(vertx, MediaDownloaderTest.whatsapp(simulator.baseUrl(), token),
        MediaDownloaderTest.media(temp.resolve("media")), store,
        new UploadCache(redis, new Keyspace("wabot:{test}:"), Duration.ofDays(29)), 2,
        new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    await(uploader.close());
    redis.close();
    await(simulator.close());
    await(vertx.close());
  }

  StoredMedia stored(MediaKind kind, String mime, Buffer content, String filename) {
    return await(store.put(MediaFilesStream.of(vertx, temp, content),
        new MediaDraft(kind, mime, content.length(), null, filename, null)));
  }

  long uploads() {
    return simulator.media().requests().stream().filter(r -> r.method().equals("POST")).count();
  }

  @Test
  @DisplayName("a queued stored file: the sender's preparation uploads it and puts the id in its place; a file no"
      + " longer stored is a final failure with its reason; other bodies pass unchanged")
  void queuedStoredFile() {
    StoredMedia media = stored(MediaKind.IMAGE, "image/jpeg", MediaFiles.jpeg(50_000), null);
    OutboundUploads uploads = new OutboundUploads(store, uploader);
    JsonObject queued = OutboundMedia.image(CUSTOMER, OutboundMedia.stored(media), "Front view")
        .toQueued().toJson();
    assertThat(queued.getJsonObject("image").getString("stored")).isEqualTo(media.id());

    JsonObject sent = await(uploads.prepare(queued, Correlation.NONE));
    String id = sent.getJsonObject("image").getString("id");
    assertThat(sent.getJsonObject("image").containsKey("stored")).isFalse();
    assertThat(sent.getJsonObject("image").getString("caption")).isEqualTo("Front view");
    assertThat(MediaFiles.sha256(simulator.media().file(id))).isEqualTo(media.sha256());
    assertThat(await(new GraphApiClient(vertx, MediaDownloaderTest.whatsapp(simulator.baseUrl(), TOKEN),
        Duration.ofSeconds(20), 2).send(sent))).isInstanceOf(SendResult.Accepted.class);

    await(store.delete(media.id()));
    Throwable gone = await(uploads.prepare(queued, Correlation.NONE)
        .transform(result -> Future.succeededFuture(result.cause())));
    assertThat(uploads.retryable(gone)).isFalse();
    assertThat(uploads.reason(gone)).startsWith("media upload not_found");

    JsonObject text = new JsonObject().put("type", "text")
        .put("text", new JsonObject().put("body", "hi"));
    assertThat(await(uploads.prepare(text, Correlation.NONE))).isSameAs(text);
  }

  @Test
  @DisplayName("a file sent from another business number is uploaded to that number's /{id}/media with its token, and"
      + " its upload is reused for that number only")
  void uploadedAsTheSendingNumber() {
    StoredMedia media = stored(MediaKind.IMAGE, "image/jpeg", MediaFiles.jpeg(20_000), null);
    // The default number has a token this Graph API refuses: only the sending number's own works.
    MediaUploader other = new MediaUploader(vertx, new WhatsAppConfig(new Secret("default-number-token-1"), "999999999999999",
        new Secret("app-secret"), new Secret("verify"), simulator.baseUrl(), "v23.0"),
        MediaDownloaderTest.media(temp.resolve("media")), store,
        new UploadCache(redis, new Keyspace("wabot:{test}:"), Duration.ofDays(29)), 2, new SimpleMeterRegistry());
    OutboundUploads uploads = new OutboundUploads(store, other);
    NumberConfig sending = new NumberConfig(PHONE_ID, "Support", "Support", new Secret(TOKEN), new Secret("s"),
        new Secret("v"), 80, null, null, null);
    JsonObject queued = OutboundMedia.image(CUSTOMER, OutboundMedia.stored(media), null).toQueued().toJson();

    JsonObject sent = await(uploads.prepare(queued, sending, Correlation.NONE));
    assertThat(MediaFiles.sha256(simulator.media().file(sent.getJsonObject("image").getString("id"))))
        .isEqualTo(media.sha256());
    assertThat(await(uploads.prepare(queued, sending, Correlation.NONE))).as("reused").isEqualTo(sent);
    assertThat(uploads()).isEqualTo(1);
    Throwable asDefault = await(uploads.prepare(queued, Correlation.NONE)
        .transform(result -> Future.succeededFuture(result.cause())));
    assertThat(asDefault).as("the sending number's upload is not the default number's").isNotNull();
    await(other.close());
  }

  @Test
  @DisplayName("a stored photo is uploaded (multipart, streamed), sent by the id Meta returned, and the id is reused")
  void uploadThenSendById() {
    Buffer photo = MediaFiles.jpeg(400_000);
    StoredMedia media = stored(MediaKind.IMAGE, "image/jpeg", photo, null);

    MediaMessage message = await(uploader.prepare(OutboundMedia.image(CUSTOMER, OutboundMedia.stored(media), "Front view"),
        Correlation.NONE));

    assertThat(MediaFiles.sha256(simulator.media().file(message.mediaId()))).isEqualTo(media.sha256());
    assertThat(simulator.media().mimeType(message.mediaId())).isEqualTo("image/jpeg");
    GraphApiClient client = new GraphApiClient(vertx, MediaDownloaderTest.whatsapp(simulator.baseUrl(), TOKEN),
        Duration.ofSeconds(5), 1);
    assertThat(await(client.send(message))).isInstanceOf(SendResult.Accepted.class);
    RecordedRequest sent = simulator.accepted().get(0);
    assertThat(sent.body().getJsonObject("image").getString("id")).isEqualTo(message.mediaId());
    assertThat(sent.body().getJsonObject("image").getString("caption")).isEqualTo("Front view");
    client.close();

    MediaMessage again = await(uploader.prepare(OutboundMedia.image(CUSTOMER, OutboundMedia.stored(media), null),
        Correlation.NONE));
    assertThat(again.mediaId()).isEqualTo(message.mediaId());
    assertThat(uploads()).isEqualTo(1);
  }

  @Test
  @DisplayName("a document keeps its file name, and a media id or a link needs no upload")
  void documentsIdsAndLinks() {
    Buffer pdf = Buffer.buffer(MediaFiles.bytes(MediaFiles.PDF_HEAD, 30_000, 2));
    StoredMedia media = stored(MediaKind.DOCUMENT, "application/pdf", pdf, "Price list.pdf");

    MediaMessage document = await(uploader.prepare(
        OutboundMedia.document(CUSTOMER, OutboundMedia.stored(media), "Our prices", null), Correlation.NONE));
    MediaMessage byId = await(uploader.prepare(OutboundMedia.audio(CUSTOMER, OutboundMedia.id("4490709327")), Correlation.NONE));
    MediaMessage byLink = await(uploader.prepare(
        OutboundMedia.video(CUSTOMER, OutboundMedia.link("https://cdn.example.com/demo.mp4"), "Demo"), Correlation.NONE));

    assertThat(document.filename()).isEqualTo("Price list.pdf");
    assertThat(document.toJson().getJsonObject("document").getString("id")).isNotBlank();
    assertThat(byId.toJson().getJsonObject("audio").getString("id")).isEqualTo("4490709327");
    assertThat(byLink.toJson().getJsonObject("video").getString("link")).isEqualTo("https://cdn.example.com/demo.mp4");
    assertThat(uploads()).isEqualTo(1);
  }

  @Test
  @DisplayName("Meta's limits are checked when the message is built: type, size, caption, file name, link")
  void limitsBeforeSending() {
    StoredMedia bigPhoto = new StoredMedia(StoredMedia.newId(), MediaKind.IMAGE, "image/jpeg", 6L * 1024 * 1024, "ab".repeat(32),
        null, null, java.time.Instant.now());
    StoredMedia gif = new StoredMedia(StoredMedia.newId(), MediaKind.IMAGE, "image/gif", 1000, "ab".repeat(32),
        null, null, java.time.Instant.now());

    assertThatThrownBy(() -> OutboundMedia.image(CUSTOMER, OutboundMedia.stored(bigPhoto), null))
        .isInstanceOf(InvalidMessageException.class).hasMessageContaining("at most 5242880");
    assertThatThrownBy(() -> OutboundMedia.image(CUSTOMER, OutboundMedia.stored(gif), null))
        .hasMessageContaining("does not send image/gif");
    assertThatThrownBy(() -> OutboundMedia.sticker(CUSTOMER, OutboundMedia.stored(gif)))
        .hasMessageContaining("does not send image/gif as sticker");
    assertThatThrownBy(() -> new OutboundMedia(CUSTOMER, MediaKind.AUDIO, OutboundMedia.id("1"), "caption", null))
        .hasMessageContaining("caption is only allowed");
    assertThatThrownBy(() -> new OutboundMedia(CUSTOMER, MediaKind.IMAGE, OutboundMedia.id("1"), null, "a.jpg"))
        .hasMessageContaining("file name is only allowed on documents");
    assertThatThrownBy(() -> OutboundMedia.image(CUSTOMER, OutboundMedia.link("http://example.com/a.jpg"), null))
        .hasMessageContaining("https");
    assertThatThrownBy(() -> OutboundMedia.image(CUSTOMER, OutboundMedia.id("1"), "x".repeat(1025)))
        .hasMessageContaining("at most 1024");
  }

  @Test
  @DisplayName("Meta refusing an upload (too large for its type, 131053) or the token (401, 190) is a failed upload with its reason")
  void refusedUploads() {
    Buffer png = Buffer.buffer(MediaFiles.bytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
        5 * 1024 * 1024 + 10, 4));
    StoredMedia tooLarge = stored(MediaKind.DOCUMENT, "image/png", png, null);
    StoredMedia small = stored(MediaKind.IMAGE, "image/jpeg", MediaFiles.jpeg(1000), null);
    MediaUploader wrongToken = uploader("expired-token-0000000");

    MediaUploader.UploadResult large = await(uploader.upload(tooLarge, Correlation.NONE), Duration.ofSeconds(30));
    MediaUploader.UploadResult unauthorized = await(wrongToken.upload(small, Correlation.NONE));

    assertThat(large).isInstanceOfSatisfying(MediaUploader.UploadResult.Failed.class, failed -> {
      assertThat(failed.failure().reason()).isEqualTo(MediaFailure.Reason.REJECTED);
      assertThat(failed.failure().detail()).contains("131053");
    });
    assertThat(unauthorized).isInstanceOfSatisfying(MediaUploader.UploadResult.Failed.class,
        failed -> assertThat(failed.failure().reason()).isEqualTo(MediaFailure.Reason.UNAUTHORIZED));
    assertThatThrownBy(() -> await(wrongToken.prepare(OutboundMedia.image(CUSTOMER, OutboundMedia.stored(small), null),
        Correlation.NONE))).hasCauseInstanceOf(MediaException.class);
    await(wrongToken.close());
  }
}
