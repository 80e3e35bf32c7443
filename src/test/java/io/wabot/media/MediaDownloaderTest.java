package io.wabot.media;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.wabot.config.MediaConfig;
import io.wabot.config.NumberConfig;
import io.wabot.config.Secret;
import io.wabot.config.WhatsAppConfig;
import io.wabot.customer.CustomerIdentity;
import io.wabot.observability.Correlation;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.sandbox.SimulatedMedia;
import io.wabot.sandbox.SimulatedMediaLibrary;
import io.wabot.testing.LogCapture;
import io.wabot.whatsapp.inbound.InboundMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaDownloaderTest {

  static final String TOKEN = "EAAG-media-test-token-4242";
  static final String PHONE_ID = "106540352242922";

  @TempDir
  Path temp;
  Vertx vertx;
  GraphApiSimulator simulator;
  MediaStore store;
  MediaDownloader downloader;
  /** Where the downloader under test counts: its own, so a count is this test's alone. */
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  static WhatsAppConfig whatsapp(String baseUrl, String token) {
    return new WhatsAppConfig(new Secret(token), PHONE_ID, new Secret("app-secret"), new Secret("verify"), baseUrl, "v23.0");
  }

  static MediaConfig media(Path dir) {
    // Generous: the machine running the tests may be busy; a hang still fails the test.
    return media(dir, Duration.ofSeconds(20), Duration.ofSeconds(60));
  }

  static MediaConfig media(Path dir, Duration requestTimeout, Duration downloadTimeout) {
    return new MediaConfig(MediaConfig.STORE_FILESYSTEM, dir, Duration.ofDays(30), Duration.ofHours(1),
        MediaConfig.META_MAX_BYTES, 0, requestTimeout, downloadTimeout, false, null, Duration.ofHours(24),
        null, Duration.ofDays(29), null, 4, Duration.ofMinutes(30));
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    simulator = new GraphApiSimulator(vertx, TOKEN, PHONE_ID);
    await(simulator.listen("127.0.0.1", 0));
    store = new FileSystemMediaStore(vertx, temp.resolve("media"), 0);
    downloader = downloader(TOKEN, UrlPolicy.trusting(simulator.baseUrl()), store);
  }

  MediaDownloader downloader(String token, UrlPolicy policy, MediaStore into) {
    return new MediaDownloader(vertx, whatsapp(simulator.baseUrl(), token), media(temp.resolve("media")), into, policy, 4, registry);
  }

  @AfterEach
  void stop() {
    await(downloader.close());
    await(simulator.close());
    await(vertx.close());
  }

  SimulatedMediaLibrary library() {
    return simulator.media();
  }

  DownloadResult download(String mediaId, MediaKind kind, String mime) {
    return await(downloader.download(new MediaRef(mediaId, kind, mime, null), Correlation.NONE), Duration.ofSeconds(60));
  }

  static MediaFailure.Reason failure(DownloadResult result) {
    assertThat(result).isInstanceOf(DownloadResult.Failed.class);
    return ((DownloadResult.Failed) result).failure().reason();
  }

  double count(String outcome) {
    Counter counter = registry.find(MediaMetrics.DOWNLOADS).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  List<String> downloadRequests() {
    return library().requests().stream().filter(r -> r.path().startsWith("/whatsapp_business")).map(r -> r.path()).toList();
  }

  void assertNothingStaged() throws Exception {
    Path staging = temp.resolve("media").resolve(".staging");
    if (Files.isDirectory(staging)) {
      try (var files = Files.list(staging)) {
        assertThat(files).as("staging leftovers").isEmpty();
      }
    }
  }

  @Test
  @DisplayName("a store below media.minFreeSpace refuses a download before a byte of it is fetched")
  void fullStoreFetchesNothing() {
    MediaStore full = new FileSystemMediaStore(vertx, temp.resolve("full"), Long.MAX_VALUE / 8);
    MediaDownloader into = downloader(TOKEN, UrlPolicy.trusting(simulator.baseUrl()), full);
    String id = simulator.media().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(2_000_000), "image/jpeg"));

    DownloadResult result = await(into.download(new MediaRef(id, MediaKind.IMAGE, "image/jpeg", null), Correlation.NONE),
        Duration.ofSeconds(60));

    assertThat(failure(result)).isEqualTo(MediaFailure.Reason.STORE_FULL);
    assertThat(simulator.media().requests()).as("file downloads (the metadata is asked for on another path)")
        .noneMatch(r -> r.path().startsWith("/whatsapp_business"));
    await(into.close());
  }

  @Test
  @DisplayName("the media queue waits for a whole download (metadata, the file, the store's answer), longer than"
      + " queue.maxRunTime by default, rather than start the same download again beside it")
  void runTimeCoversTheDownload() {
    MediaDownloader slow = new MediaDownloader(vertx, whatsapp(simulator.baseUrl(), TOKEN),
        media(temp.resolve("media"), Duration.ofSeconds(30), Duration.ofMinutes(10)), store, UrlPolicy.trusting(simulator.baseUrl()),
        4, registry);
    MediaJobHandler handler = new MediaJobHandler(slow, null, null, 8, Duration.ofDays(30));

    // The metadata, the file's request and its three redirects' answers, the store's answer: 30 s each.
    assertThat(slow.longestRun()).isEqualTo(Duration.ofMinutes(13));
    assertThat(handler.maxRunTime(Duration.ofMinutes(2))).isEqualTo(Duration.ofMinutes(13));
    assertThat(handler.maxRunTime(Duration.ofMinutes(20))).as("a longer queue.maxRunTime stands").isEqualTo(Duration.ofMinutes(20));
    await(slow.close());
  }

  @Test
  @DisplayName("a photo is resolved with the token, downloaded, verified and stored byte for byte, with an event and a metric")
  void storesAPhoto() throws Exception {
    Buffer photo = MediaFiles.jpeg(250_000);
    String mediaId = library().add(SimulatedMedia.ofBytes(photo, "image/jpeg"));
    double before = count("stored");

    DownloadResult result;
    try (LogCapture logs = LogCapture.of(MediaDownloader.class)) {
      result = download(mediaId, MediaKind.IMAGE, "image/jpeg");
      ILoggingEvent event = logs.named("media.stored").get(0);
      assertThat(LogCapture.value(event, "size")).isEqualTo(250_000L);
      assertThat(LogCapture.value(event, "store")).isEqualTo("filesystem");
    }

    assertThat(result).isInstanceOf(DownloadResult.Stored.class);
    StoredMedia stored = ((DownloadResult.Stored) result).media();
    assertThat(stored.kind()).isEqualTo(MediaKind.IMAGE);
    assertThat(stored.mimeType()).isEqualTo("image/jpeg");
    assertThat(stored.sha256()).isEqualTo(MediaFiles.sha256(photo));
    assertThat(stored.sourceId()).isEqualTo(mediaId);
    assertThat(await(MediaFiles.readAll(await(store.open(stored.id())).orElseThrow().stream()))).isEqualTo(photo);
    assertThat(library().requests()).allSatisfy(r -> assertThat(r.authorized()).isTrue());
    assertThat(count("stored")).isEqualTo(before + 1);
    assertNothingStaged();
  }

  @Test
  @DisplayName("downloads keep their connection: the server is not asked to close it after the last byte, which Vert.x's client can then lose")
  void keepsTheConnection() {
    String first = library().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(20_000), "image/jpeg"));
    String second = library().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(30_000), "image/jpeg"));

    assertThat(download(first, MediaKind.IMAGE, "image/jpeg")).isInstanceOf(DownloadResult.Stored.class);
    assertThat(download(second, MediaKind.IMAGE, "image/jpeg")).isInstanceOf(DownloadResult.Stored.class);

    // A server closing after the response races a paused (slow store) response in Vert.x 5.0: "Connection was
    // closed" with the last few hundred KB unread (LargeDownloadMemoryTest failed so about once in six runs).
    assertThat(library().requests()).hasSize(4).noneMatch(SimulatedMediaLibrary.MediaRequest::askedToClose);
  }

  @Test
  @DisplayName("a voice note from a webhook message, declared as audio/ogg; codecs=opus, is stored as audio/ogg")
  void storesAVoiceNote() {
    Buffer voice = Buffer.buffer(MediaFiles.bytes(MediaFiles.OGG_HEAD, 40_000, 3));
    String mediaId = library().add(SimulatedMedia.ofBytes(voice, "audio/ogg; codecs=opus"));
    InboundMessage.Media message = new InboundMessage.Media(new InboundMessage.Meta("wamid.HBgLvoice", CustomerIdentity.ofPhone("16505551234"),
        "Sam", java.time.Instant.now(), null, PHONE_ID), "audio", mediaId, "audio/ogg; codecs=opus", null, null, true);

    DownloadResult result = await(downloader.download(MediaRef.of(message), Correlation.NONE));

    assertThat(((DownloadResult.Stored) result).media().mimeType()).isEqualTo("audio/ogg");
    assertThat(((DownloadResult.Stored) result).media().kind()).isEqualTo(MediaKind.AUDIO);
  }

  @Test
  @DisplayName("a server that stalls mid-file, or drips it slower than media.downloadTimeout, is cut off; nothing is kept")
  void stalledAndDripping() throws Exception {
    HttpServer slow = await(vertx.createHttpServer().requestHandler(request -> {
      var response = request.response().putHeader("content-type", "image/jpeg").putHeader("content-length", "50000");
      response.write(Buffer.buffer(MediaFiles.bytes(MediaFiles.JPEG_HEAD, 2000, 1)));
      if (request.path().equals("/drip")) {
        long timer = vertx.setPeriodic(50, id -> response.write(Buffer.buffer(new byte[100])));
        response.closeHandler(v -> vertx.cancelTimer(timer));
      }
    }).listen(0, "127.0.0.1"));
    String cdn = "http://127.0.0.1:" + slow.actualPort();
    String stalls = library().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(50_000), "image/jpeg").redirectTo(cdn + "/stall"));
    String drips = library().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(50_000), "image/jpeg").redirectTo(cdn + "/drip"));
    MediaDownloader impatient = new MediaDownloader(vertx, whatsapp(simulator.baseUrl(), TOKEN),
        media(temp.resolve("media"), Duration.ofMillis(400), Duration.ofSeconds(1)), store,
        UrlPolicy.trusting(simulator.baseUrl(), cdn), 2, registry);

    DownloadResult stalled = await(impatient.download(new MediaRef(stalls, MediaKind.IMAGE, null, null), Correlation.NONE));
    DownloadResult dripped = await(impatient.download(new MediaRef(drips, MediaKind.IMAGE, null, null), Correlation.NONE));

    assertThat(failure(stalled)).isEqualTo(MediaFailure.Reason.TRANSPORT);
    assertThat(failure(dripped)).isEqualTo(MediaFailure.Reason.TRANSPORT);
    assertThat(((DownloadResult.Failed) dripped).failure().detail()).contains("media.downloadTimeout");
    assertNothingStaged();
    await(impatient.close());
    await(slow.close());
  }

  @Test
  @DisplayName("an unknown media id and an expired one are not_found, final, and nothing is downloaded")
  void unknownAndExpired() {
    String expired = library().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(1000), "image/jpeg").lifetime(Duration.ofSeconds(-1)));

    DownloadResult unknown = download("987654321", MediaKind.IMAGE, "image/jpeg");
    DownloadResult old = download(expired, MediaKind.IMAGE, "image/jpeg");

    assertThat(failure(unknown)).isEqualTo(MediaFailure.Reason.NOT_FOUND);
    assertThat(failure(old)).isEqualTo(MediaFailure.Reason.NOT_FOUND);
    assertThat(((DownloadResult.Failed) old).failure().retryable()).isFalse();
    assertThat(downloadRequests()).isEmpty();
  }

  @Test
  @DisplayName("a wrong token is unauthorized (401, code 190)")
  void wrongToken() {
    String mediaId = library().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(1000), "image/jpeg"));
    MediaDownloader wrong = downloader("expired-token-000000", UrlPolicy.trusting(simulator.baseUrl()), store);

    assertThat(failure(await(wrong.download(new MediaRef(mediaId, MediaKind.IMAGE, null, null), Correlation.NONE))))
        .isEqualTo(MediaFailure.Reason.UNAUTHORIZED);
    await(wrong.close());
  }

  @Test
  @DisplayName("media a customer sent to another business number is downloaded with that number's token and id")
  void downloadedAsTheReceivingNumber() {
    String mediaId = library().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(1000), "image/jpeg"));
    // The default number is another one, with a token this Graph API refuses: only the receiving number's works.
    MediaDownloader other = new MediaDownloader(vertx, new WhatsAppConfig(new Secret("default-number-token-1"),
        "999999999999999", new Secret("app-secret"), new Secret("verify"), simulator.baseUrl(), "v23.0"),
        media(temp.resolve("media")), store, UrlPolicy.trusting(simulator.baseUrl()), 4, registry);
    NumberConfig receiving = new NumberConfig(PHONE_ID, "Support", "Support", new Secret(TOKEN), new Secret("s"),
        new Secret("v"), 80, null, null, null);

    assertThat(failure(await(other.download(new MediaRef(mediaId, MediaKind.IMAGE, null, null), Correlation.NONE))))
        .as("as the default number").isEqualTo(MediaFailure.Reason.UNAUTHORIZED);
    assertThat(await(other.download(new MediaRef(mediaId, MediaKind.IMAGE, null, null), receiving, Correlation.NONE)))
        .isInstanceOf(DownloadResult.Stored.class);
    await(other.close());
  }

  @Test
  @DisplayName("a download URL answering 404 is url_expired, retryable (a fresh URL is asked for next time)")
  void urlAnswers404() {
    String mediaId = library().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(1000), "image/jpeg").notFound());

    DownloadResult result = download(mediaId, MediaKind.IMAGE, "image/jpeg");

    assertThat(failure(result)).isEqualTo(MediaFailure.Reason.URL_EXPIRED);
    assertThat(((DownloadResult.Failed) result).failure().retryable()).isTrue();
  }

  @Test
  @DisplayName("an HTML error page answered with 200 is html_page, whatever Content-Type it claims, and is not stored")
  void htmlErrorPage() throws Exception {
    String asHtml = library().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(1000), "image/jpeg").htmlPage());
    String disguised = library().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(1000), "image/jpeg").htmlPage()
        .servedContentType("image/jpeg"));

    assertThat(failure(download(asHtml, MediaKind.IMAGE, "image/jpeg"))).isEqualTo(MediaFailure.Reason.HTML_PAGE);
    assertThat(failure(download(disguised, MediaKind.IMAGE, "image/jpeg"))).isEqualTo(MediaFailure.Reason.HTML_PAGE);
    assertThat(await(store.sweep(java.time.Instant.now().plusSeconds(60)))).isZero();
    assertNothingStaged();
  }

  @Test
  @DisplayName("a file larger than its metadata declared is refused as larger_than_declared")
  void largerThanDeclared() {
    String mediaId = library().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(50_000), "image/jpeg").declaredSize(10_000));

    assertThat(failure(download(mediaId, MediaKind.IMAGE, "image/jpeg"))).isEqualTo(MediaFailure.Reason.LARGER_THAN_DECLARED);
  }

  @Test
  @DisplayName("bytes whose SHA-256 is not the declared one are refused as sha_mismatch and not stored")
  void shaMismatch() throws Exception {
    String mediaId = library().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(50_000), "image/jpeg")
        .declaredSha256(java.util.Base64.getEncoder().encodeToString(new byte[32])));

    assertThat(failure(download(mediaId, MediaKind.IMAGE, "image/jpeg"))).isEqualTo(MediaFailure.Reason.SHA_MISMATCH);
    assertThat(await(store.sweep(java.time.Instant.now().plusSeconds(60)))).isZero();
    assertNothingStaged();
  }

  @Test
  @DisplayName("a MIME type that lies (a PDF declared and served as image/jpeg) is mime_mismatch")
  void lyingMimeType() {
    Buffer pdf = Buffer.buffer(MediaFiles.bytes(MediaFiles.PDF_HEAD, 20_000, 5));
    String mediaId = library().add(SimulatedMedia.ofBytes(pdf, "image/jpeg"));

    assertThat(failure(download(mediaId, MediaKind.IMAGE, "image/jpeg"))).isEqualTo(MediaFailure.Reason.MIME_MISMATCH);
  }

  @Test
  @DisplayName("a type the kind does not allow, or a size above Meta's limit for it, is refused before a byte is fetched")
  void refusedFromMetadata() {
    String pdfAsImage = library().add(SimulatedMedia.ofBytes(Buffer.buffer(MediaFiles.PDF_HEAD), "application/pdf"));
    String hugeImage = library().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(1000), "image/jpeg").declaredSize(6L * 1024 * 1024));

    assertThat(failure(download(pdfAsImage, MediaKind.IMAGE, null))).isEqualTo(MediaFailure.Reason.MIME_NOT_ALLOWED);
    assertThat(failure(download(hugeImage, MediaKind.IMAGE, "image/jpeg"))).isEqualTo(MediaFailure.Reason.TOO_LARGE);
    assertThat(downloadRequests()).isEmpty();
  }

  @Test
  @DisplayName("a store that cannot be written is store_unavailable, and the staged file is not left behind")
  void storeUnreachable() throws Exception {
    Path notADirectory = Files.writeString(temp.resolve("a-file"), "x");
    MediaDownloader broken = downloader(TOKEN, UrlPolicy.trusting(simulator.baseUrl()),
        new FileSystemMediaStore(vertx, notADirectory.resolve("media"), 0));
    String mediaId = library().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(1000), "image/jpeg"));

    DownloadResult result = await(broken.download(new MediaRef(mediaId, MediaKind.IMAGE, null, null), Correlation.NONE));

    assertThat(failure(result)).isEqualTo(MediaFailure.Reason.STORE_UNAVAILABLE);
    assertThat(((DownloadResult.Failed) result).failure().retryable()).isTrue();
    await(broken.close());
    assertNothingStaged();
  }

  @Test
  @DisplayName("redirects to plain http, private addresses or cloud metadata are refused without connecting")
  void refusedRedirects() {
    for (String target : List.of("http://example.com/file.jpg", "https://10.1.2.3/file.jpg",
        "https://169.254.169.254/latest/meta-data/", "https://localhost/file.jpg", "https://[::1]/x", "ftp://example.com/x")) {
      String mediaId = library().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(1000), "image/jpeg").redirectTo(target));

      assertThat(failure(download(mediaId, MediaKind.IMAGE, "image/jpeg"))).as(target).isEqualTo(MediaFailure.Reason.URL_REFUSED);
    }
  }

  @Test
  @DisplayName("without trust in the simulator, its plain-http loopback URL is refused: only https to public addresses is fetched")
  void strictPolicy() {
    String mediaId = library().add(SimulatedMedia.ofBytes(MediaFiles.jpeg(1000), "image/jpeg"));
    MediaDownloader strict = downloader(TOKEN, UrlPolicy.strict(), store);

    assertThat(failure(await(strict.download(new MediaRef(mediaId, MediaKind.IMAGE, null, null), Correlation.NONE))))
        .isEqualTo(MediaFailure.Reason.URL_REFUSED);
    assertThat(downloadRequests()).isEmpty();
    await(strict.close());
  }

  @Test
  @DisplayName("a redirect to another origin is followed without the token")
  void redirectDropsToken() {
    Buffer photo = MediaFiles.jpeg(30_000);
    List<String> authorizations = new CopyOnWriteArrayList<>();
    HttpServer elsewhere = await(vertx.createHttpServer().requestHandler(request -> {
      authorizations.add(String.valueOf(request.getHeader("Authorization")));
      request.response().putHeader("content-type", "image/jpeg").end(photo);
    }).listen(0, "127.0.0.1"));
    String cdn = "http://127.0.0.1:" + elsewhere.actualPort();
    String mediaId = library().add(SimulatedMedia.ofBytes(photo, "image/jpeg").redirectTo(cdn + "/photo.jpg"));
    MediaDownloader following = downloader(TOKEN, UrlPolicy.trusting(simulator.baseUrl(), cdn), store);

    DownloadResult result = await(following.download(new MediaRef(mediaId, MediaKind.IMAGE, null, null), Correlation.NONE));

    assertThat(result).isInstanceOf(DownloadResult.Stored.class);
    assertThat(authorizations).containsExactly("null");
    await(following.close());
    await(elsewhere.close());
  }
}
