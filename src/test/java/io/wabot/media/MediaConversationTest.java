package io.wabot.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.config.AppConfig;
import io.wabot.sandbox.AcceptedMessage;
import io.wabot.sandbox.SimulatedMedia;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.SimulatedGraphApi;
import io.wabot.testing.TestApps;
import io.wabot.testing.TeamWebhook;
import io.wabot.testing.Webhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Customers' media through the whole service: signed webhooks, the inbound queue, the media queue's
 * download jobs against the Graph API simulator, the store, the conversation engine and the sales flow,
 * the team's webhook and the signed {@code GET /media/{id}} links.
 */
class MediaConversationTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();
  @RegisterExtension
  final SimulatedGraphApi graph = new SimulatedGraphApi();

  static final String CUSTOMER = "16505551234";
  static final String AGENT = "15550001111";
  static final long LARGE = 60L * 1000 * 1000;

  @TempDir
  Path temp;
  @RegisterExtension
  final TeamWebhook team = new TeamWebhook();
  Application app;
  String prefix;

  @BeforeEach
  void start() throws Exception {
    app = startApp(new JsonObject());
  }

  /** The service, with these {@code media} settings over the test's own. */
  Application startApp(JsonObject media) {
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    env.put("WHATSAPP_API_BASE_URL", graph.baseUrl());
    team.addTo(env);
    env.put("AGENT_WHATSAPP_NUMBER", AGENT);
    env.put("MEDIA_DIR", temp.resolve("store").toString());
    AppConfig config = TestApps.config(env, new JsonObject()
        .put("queue", new JsonObject().put("pollInterval", "200ms").put("reaperInterval", "100ms")
            .put("backoffInitial", "50ms").put("backoffMax", "200ms").put("maxAttempts", 3))
        // The simulator is plain http on loopback, which a live deployment refuses to download from.
        .put("media", new JsonObject().put("allowInsecureUrls", true).put("minFreeSpace", "0B")
            .put("requestTimeout", "20s").put("downloadTimeout", "3m").mergeIn(media)));
    prefix = config.queue().keyPrefix();
    return TestApps.start(config);
  }

  @AfterEach
  void stop() throws Exception {
    TestApps.stop(app);
  }

  @Test
  @DisplayName("a photo, a voice note and a 60 MB document are stored, answered in order with the texts around them,"
      + " and reach the team as signed links")
  void photoVoiceNoteAndLargeDocument() throws Exception {
    byte[] photo = MediaFiles.bytes(MediaFiles.JPEG_HEAD, 40_000, 1);
    byte[] voice = MediaFiles.bytes(MediaFiles.OGG_HEAD, 12_000, 2);
    Path document = MediaFiles.write(temp.resolve("catalogue.pdf"), MediaFiles.PDF_HEAD, LARGE, 3);
    String photoId = graph.simulator().media().add(SimulatedMedia.ofBytes(Buffer.buffer(photo), "image/jpeg"));
    String voiceId = graph.simulator().media().add(SimulatedMedia.ofBytes(Buffer.buffer(voice), "audio/ogg"));
    String documentId = graph.simulator().media().add(SimulatedMedia.ofFile(document, "application/pdf"));

    // Sent back to back: each later message must wait for the media before it.
    say("hi");
    send(media("image", photoId, "image/jpeg", "the broken charger", null, false));
    say("is it under warranty?");
    send(media("audio", voiceId, "audio/ogg; codecs=opus", null, null, true));
    send(media("document", documentId, "application/pdf", null, "catalogue.pdf", false));
    say("agent");

    // A busy machine may take a while over 60 MB.
    JsonObject requested = team.events().awaitCount(e -> "handoff.requested".equals(e.getString("event")), 1,
        Duration.ofMinutes(3)).get(0);
    assertThat(requested.getJsonArray("recentMessages").getList()).containsExactly(
        "[image: the broken charger]", "is it under warranty?", "[audio]", "[document]", "agent");

    JsonArray media = requested.getJsonArray("media");
    assertThat(media).hasSize(3);
    assertThat(media.getJsonObject(0).getString("kind")).isEqualTo("image");
    assertThat(media.getJsonObject(0).getString("caption")).isEqualTo("the broken charger");
    assertThat(media.getJsonObject(1).getString("kind")).isEqualTo("audio");
    assertThat(media.getJsonObject(1).getBoolean("voice")).isTrue();
    assertThat(media.getJsonObject(2).getLong("size")).isEqualTo(LARGE);
    assertThat(media.getJsonObject(2).getString("filename")).isEqualTo("catalogue.pdf");
    assertThat(sha256(fetch(media.getJsonObject(0).getString("url")))).isEqualTo(MediaFiles.sha256(photo));
    assertThat(sha256(fetch(media.getJsonObject(1).getString("url")))).isEqualTo(MediaFiles.sha256(voice));
    HttpResponse<byte[]> forged = get(media.getJsonObject(0).getString("url").replaceAll("sig=.", "sig=x"));
    assertThat(forged.statusCode()).isEqualTo(403);

    // One conversation's replies go out in the order of its turns.
    List<String> replies = graph.accepted().awaitCount(MediaConversationTest::toCustomer, 6, Duration.ofMinutes(1)).stream()
        .filter(MediaConversationTest::toCustomer).map(m -> m.body().encode()).toList();
    assertThat(replies.get(0)).contains("Browse products");
    assertThat(replies.get(1)).contains("Thanks for the photo", "Talk to a person");
    assertThat(replies.get(2)).contains("didn't quite get that");
    assertThat(replies.get(3)).contains("voice notes");
    assertThat(replies.get(4)).contains("received your document");
    assertThat(replies.get(5)).contains("passed your request to our sales team");

    // The agent's WhatsApp gets the files themselves, uploaded from the store: the photo and the voice note
    // (the 60 MB document is above what WhatsApp sends, so it stays a link).
    AcceptedMessage forwardedPhoto = graph.accepted().await(m -> AGENT.equals(m.recipient()) && "image".equals(m.kind()));
    String uploadedId = forwardedPhoto.body().getJsonObject("image").getString("id");
    assertThat(uploadedId).isNotBlank();
    assertThat(forwardedPhoto.body().getJsonObject("image").getString("caption")).isEqualTo("the broken charger");
    assertThat(graph.simulator().media().file(uploadedId)).satisfies(file -> assertThat(MediaFiles.sha256(file))
        .isEqualTo(MediaFiles.sha256(photo)));
    graph.accepted().await(m -> AGENT.equals(m.recipient()) && "audio".equals(m.kind()));
  }

  static boolean toCustomer(AcceptedMessage message) {
    return !message.isReadReceipt() && CUSTOMER.equals(message.recipient());
  }

  @Test
  @DisplayName("media Meta no longer has: the customer is asked politely to send it again, the team learns it failed")
  void unknownMedia() throws Exception {
    say("hi");
    send(media("image", "1234567890", "image/jpeg", null, null, false));
    graph.accepted().await(m -> m.body().encode().contains("didn't reach me"));
    assertThat(REDIS.server().command("ZCARD", prefix + "media:dlq")).contains("1");
    say("agent");
    JsonObject requested = team.events().await(e -> "handoff.requested".equals(e.getString("event")));
    JsonObject failed = requested.getJsonArray("media").getJsonObject(0);
    assertThat(failed.getBoolean("stored")).isFalse();
    assertThat(failed.getString("failure")).isEqualTo("not_found");
    assertThat(failed.containsKey("url")).isFalse();
  }

  /** A photo whose metadata or download misbehaves, and the reason the team is given. */
  static Stream<Arguments> badPhotos() {
    Buffer jpeg = Buffer.buffer(MediaFiles.bytes(MediaFiles.JPEG_HEAD, 20_000, 7));
    SimulatedMedia photo = SimulatedMedia.ofBytes(jpeg, "image/jpeg");
    return Stream.of(
        Arguments.of("an expired media id", photo.lifetime(Duration.ofSeconds(-1)), "not_found"),
        Arguments.of("a download URL that answers 404", photo.notFound(), "url_expired"),
        Arguments.of("an HTML error page instead of the file", photo.htmlPage(), "html_page"),
        Arguments.of("a file larger than declared", photo.declaredSize(10_000), "larger_than_declared"),
        Arguments.of("a SHA-256 mismatch", photo.declaredSha256("0".repeat(64)), "sha_mismatch"),
        Arguments.of("a MIME type that lies", SimulatedMedia.ofBytes(Buffer.buffer(MediaFiles.bytes(MediaFiles.PDF_HEAD,
            20_000, 8)), "image/jpeg"), "mime_mismatch"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPhotos")
  @DisplayName("a photo that cannot be stored: the customer is asked politely to send it again, the conversation goes"
      + " on in order, and the team gets what exists")
  void badInput(String what, SimulatedMedia photo, String reason) throws Exception {
    String mediaId = graph.simulator().media().add(photo);
    say("hi");
    send(media("image", mediaId, "image/jpeg", "the broken charger", null, false));
    say("is it under warranty?");
    say("agent");

    JsonObject requested = team.events().awaitCount(e -> "handoff.requested".equals(e.getString("event")), 1,
        Duration.ofMinutes(1)).get(0);
    assertThat(requested.getJsonArray("recentMessages").getList()).containsExactly(
        "hi", "[image: the broken charger]", "is it under warranty?", "agent");
    JsonObject failed = requested.getJsonArray("media").getJsonObject(0);
    assertThat(failed.getBoolean("stored")).isFalse();
    assertThat(failed.getString("failure")).isEqualTo(reason);
    assertThat(failed.getString("caption")).isEqualTo("the broken charger");
    assertThat(failed.containsKey("url")).isFalse();
    List<String> replies = graph.accepted().awaitCount(MediaConversationTest::toCustomer, 4, Duration.ofMinutes(1)).stream()
        .filter(MediaConversationTest::toCustomer).map(m -> m.body().encode()).toList();
    assertThat(replies.get(1)).contains("didn't reach me");
    assertThat(REDIS.server().command("ZCARD", prefix + "media:dlq")).contains("1");
  }

  @Test
  @DisplayName("a full store: the download is retried, then the customer is asked to send the photo again and the"
      + " team learns the store was full")
  void storeFull() throws Exception {
    TestApps.stop(app);
    app = startApp(new JsonObject().put("minFreeSpace", "1000000GiB")); // more than any disk has free
    String mediaId = graph.simulator().media().add(SimulatedMedia.ofBytes(Buffer.buffer(
        MediaFiles.bytes(MediaFiles.JPEG_HEAD, 20_000, 9)), "image/jpeg"));
    say("hi");
    send(media("image", mediaId, "image/jpeg", null, null, false));
    graph.accepted().await(m -> toCustomer(m) && m.body().encode().contains("didn't reach me"));
    say("agent");
    JsonObject requested = team.events().awaitCount(e -> "handoff.requested".equals(e.getString("event")), 1,
        Duration.ofMinutes(1)).get(0);
    assertThat(requested.getJsonArray("media").getJsonObject(0).getString("failure")).isEqualTo("store_full");
    // store_full may pass: only the last of the 3 attempts gives up, so reaching the customer proves the retries.
    assertThat(REDIS.server().command("ZCARD", prefix + "media:dlq")).contains("1");
  }

  // ---- helpers ---------------------------------------------------------------------------------

  String say(String body) throws Exception {
    return send(Webhooks.textMessage(Webhooks.newWamid(), CUSTOMER, body));
  }

  String send(JsonObject message) throws Exception {
    JsonObject body = Webhooks.envelope(Webhooks.change(TestApps.PHONE_NUMBER_ID, new JsonArray().add(message), null));
    assertThat(Webhooks.postSigned(app.httpPort(), body).statusCode()).isEqualTo(200);
    return message.getString("id");
  }

  static JsonObject media(String kind, String mediaId, String mimeType, String caption, String filename, boolean voice) {
    JsonObject content = new JsonObject().put("id", mediaId).put("mime_type", mimeType);
    if (caption != null) {
      content.put("caption", caption);
    }
    if (filename != null) {
      content.put("filename", filename);
    }
    if (voice) {
      content.put("voice", true);
    }
    return new JsonObject().put("from", CUSTOMER).put("id", Webhooks.newWamid())
        .put("timestamp", Long.toString(System.currentTimeMillis() / 1000)).put("type", kind).put(kind, content);
  }

  byte[] fetch(String url) throws Exception {
    HttpResponse<byte[]> response = get(url);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  HttpResponse<byte[]> get(String url) throws Exception {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static String sha256(byte[] bytes) {
    return MediaFiles.sha256(bytes);
  }
}
