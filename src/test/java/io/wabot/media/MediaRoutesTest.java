package io.wabot.media;

import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.wabot.Application;
import io.wabot.config.AppConfig;
import io.wabot.testing.RedisServer;
import io.wabot.testing.TestApps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaRoutesTest {

  static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path temp;
  Vertx vertx;
  MediaStore store;
  HttpServer server;
  WebClient client;
  SignedMediaUrls urls;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    store = new FileSystemMediaStore(vertx, temp.resolve("media"), 0);
    urls = new SignedMediaUrls(KEY, Duration.ofHours(1), null, Clock.systemUTC());
    Router router = Router.router(vertx);
    new MediaRoutes(store, urls, new SimpleMeterRegistry()).mount(router);
    router.route().last().handler(ctx -> ctx.response().setStatusCode(404).end());
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
    await(server.close());
    await(vertx.close());
  }

  HttpResponse<Buffer> get(String pathAndQuery) {
    return await(client.get(server.actualPort(), "127.0.0.1", pathAndQuery).send());
  }

  StoredMedia storeDocument(String name) {
    Buffer pdf = Buffer.buffer(MediaFiles.bytes(MediaFiles.PDF_HEAD, 70_000, 9));
    return await(store.put(MediaFilesStream.of(vertx, temp, pdf),
        new MediaDraft(MediaKind.DOCUMENT, "application/pdf", pdf.length(), null, name, null)));
  }

  @Test
  @DisplayName("a signed link serves the file with its type, length, name and safe headers")
  void validLink() {
    StoredMedia stored = storeDocument("Cotización 42.pdf");

    HttpResponse<Buffer> response = get(urls.sign(stored.id()));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(MediaFiles.sha256(response.body())).isEqualTo(stored.sha256());
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/pdf");
    assertThat(response.getHeader("Content-Length")).isEqualTo("70000");
    assertThat(response.getHeader("Content-Disposition")).isEqualTo("inline; filename*=UTF-8''Cotizaci%C3%B3n%2042.pdf");
    assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(response.getHeader("Content-Security-Policy")).contains("sandbox");
    assertThat(response.getHeader("Cache-Control")).startsWith("private, max-age=");
  }

  @Test
  @DisplayName("an expired link, a forged or missing signature, another file's signature: 403, nothing served")
  void refused() {
    StoredMedia stored = storeDocument(null);
    StoredMedia other = storeDocument(null);
    SignedMediaUrls past = new SignedMediaUrls(KEY, Duration.ofHours(1), null,
        Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC));
    SignedMediaUrls otherKey = new SignedMediaUrls("another-key-another-key-another-key".getBytes(StandardCharsets.UTF_8),
        Duration.ofHours(1), null, Clock.systemUTC());
    String valid = urls.sign(stored.id());
    String exp = valid.substring(valid.indexOf("exp=") + 4, valid.indexOf("&"));

    assertThat(get(past.sign(stored.id())).statusCode()).isEqualTo(403);
    assertThat(get(past.sign(stored.id())).bodyAsString()).contains("expired");
    assertThat(get(otherKey.sign(stored.id())).statusCode()).isEqualTo(403);
    assertThat(get("/media/" + stored.id()).statusCode()).isEqualTo(403);
    assertThat(get("/media/" + stored.id() + "?exp=" + (Long.parseLong(exp) + 3600) + valid.substring(valid.indexOf("&sig="))).statusCode())
        .as("a later expiry with the same signature").isEqualTo(403);
    assertThat(get(valid.replace(stored.id(), other.id())).statusCode()).as("another file's signature").isEqualTo(403);
    assertThat(get(valid).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("nothing lists the stored files, and a swept file is gone (404) even with a valid link")
  void neverListable() {
    StoredMedia stored = storeDocument(null);
    String link = urls.sign(stored.id());

    assertThat(get("/media").statusCode()).isEqualTo(404);
    assertThat(get("/media/").statusCode()).isEqualTo(404);
    assertThat(get("/media/../media").statusCode()).isIn(403, 404);
    await(store.delete(stored.id()));
    assertThat(get(link).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("the running service serves GET /media/{id} from its configured store, and sweeps files past the retention")
  void wiredIntoTheService() throws Exception {
    try (RedisServer redis = RedisServer.startNew()) {
      Map<String, String> env = TestApps.liveEnv(redis.url());
      env.put("MEDIA_DIR", temp.resolve("service-media").toString());
      env.put("MEDIA_SIGNING_KEY", new String(KEY, StandardCharsets.UTF_8));
      env.put("MEDIA_RETENTION", "1h");
      AppConfig config = TestApps.config(env, new io.vertx.core.json.JsonObject("{\"media\":{\"sweepInterval\":\"1s\"}}"));
      MediaStore serviceStore = new FileSystemMediaStore(vertx, temp.resolve("service-media"), 0);
      Buffer photo = MediaFiles.jpeg(20_000);
      StoredMedia kept = await(serviceStore.put(MediaFilesStream.of(vertx, temp, photo),
          new MediaDraft(MediaKind.IMAGE, "image/jpeg", photo.length(), null, null, null)));
      StoredMedia old = await(serviceStore.put(MediaFilesStream.of(vertx, temp, photo),
          new MediaDraft(MediaKind.IMAGE, "image/jpeg", photo.length(), null, null, null)));
      Path oldFile = temp.resolve("service-media").resolve(old.id().substring(0, 2)).resolve(old.id());
      Files.setLastModifiedTime(oldFile, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
      Application app = TestApps.start(config);
      try {
        HttpResponse<Buffer> response = await(client.get(app.httpPort(), "127.0.0.1", urls.sign(kept.id())).send());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(photo);
        poll("the sweeper deleted the old file").until(() -> !Files.exists(oldFile));
        assertThat(await(serviceStore.describe(kept.id()))).isPresent();
      } finally {
        TestApps.stop(app);
      }
    }
  }
}
