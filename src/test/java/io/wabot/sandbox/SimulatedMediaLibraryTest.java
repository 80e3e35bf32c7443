package io.wabot.sandbox;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's media endpoints answer as Meta's do, error bodies included. */
class SimulatedMediaLibraryTest {

  static final String TOKEN = "sim-media-token";
  static final String PHONE_ID = "106540352242922";

  @TempDir
  Path temp;
  Vertx vertx;
  GraphApiSimulator simulator;
  WebClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    simulator = new GraphApiSimulator(vertx, TOKEN, PHONE_ID);
    await(simulator.listen("127.0.0.1", 0));
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
    await(simulator.close());
    await(vertx.close());
  }

  HttpResponse<Buffer> get(String url, String token) {
    return await(client.getAbs(url.startsWith("http") ? url : simulator.baseUrl() + url)
        .putHeader("Authorization", "Bearer " + token).send());
  }

  static JsonObject error(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error");
  }

  @Test
  @DisplayName("metadata gives a 5-minute download URL, the type, size and SHA-256; the URL serves the bytes with the token only")
  void metadataAndDownload() {
    Buffer photo = Buffer.buffer(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
    String id = simulator.media().add(SimulatedMedia.ofBytes(photo, "image/jpeg"));

    JsonObject metadata = get("/v23.0/" + id + "?phone_number_id=" + PHONE_ID, TOKEN).bodyAsJsonObject();
    HttpResponse<Buffer> download = get(metadata.getString("url"), TOKEN);
    HttpResponse<Buffer> withoutToken = get(metadata.getString("url"), "wrong");
    HttpResponse<Buffer> forged = get(metadata.getString("url").replaceAll("hash=[0-9a-f]+", "hash=00"), TOKEN);

    assertThat(metadata.getString("messaging_product")).isEqualTo("whatsapp");
    assertThat(metadata.getString("mime_type")).isEqualTo("image/jpeg");
    assertThat(metadata.getString("file_size")).isEqualTo("6");
    assertThat(metadata.getString("sha256")).hasSize(64);
    assertThat(metadata.getString("id")).isEqualTo(id);
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(photo);
    assertThat(download.getHeader("Content-Type")).isEqualTo("image/jpeg");
    assertThat(withoutToken.statusCode()).isEqualTo(401);
    assertThat(error(withoutToken).getInteger("code")).isEqualTo(190);
    assertThat(forged.statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("an unknown or expired media id, or one of another number, gets Meta's 400 with code 100, subcode 33")
  void unknownAndExpired() {
    String expired = simulator.media().add(SimulatedMedia.ofBytes(Buffer.buffer("x"), "text/plain").lifetime(Duration.ofSeconds(-1)));
    String known = simulator.media().add(SimulatedMedia.ofBytes(Buffer.buffer("x"), "text/plain"));

    for (HttpResponse<Buffer> response : java.util.List.of(get("/v23.0/555", TOKEN), get("/v23.0/" + expired, TOKEN),
        get("/v23.0/" + known + "?phone_number_id=999999999", TOKEN))) {
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(error(response).getInteger("code")).isEqualTo(100);
      assertThat(error(response).getInteger("error_subcode")).isEqualTo(33);
      assertThat(error(response).getString("type")).isEqualTo("GraphMethodException");
      assertThat(error(response).getString("fbtrace_id")).isNotBlank();
    }
  }

  @Test
  @DisplayName("an upload answers a fresh id; an unsupported type or a file too large for its type gets code 131053; a wrong token 190")
  void uploads() throws Exception {
    Path small = Files.write(temp.resolve("a.pdf"), "%PDF-1.7 tiny".getBytes());
    Path big = Files.write(temp.resolve("big.jpg"), new byte[5 * 1024 * 1024 + 1]);

    HttpResponse<Buffer> ok = upload(TOKEN, small, "application/pdf");
    HttpResponse<Buffer> tooLarge = upload(TOKEN, big, "image/jpeg");
    HttpResponse<Buffer> unsupported = upload(TOKEN, small, "application/x-msdownload");
    HttpResponse<Buffer> wrongToken = upload("wrong", small, "application/pdf");

    assertThat(ok.statusCode()).isEqualTo(200);
    String id = ok.bodyAsJsonObject().getString("id");
    assertThat(Files.readString(simulator.media().file(id))).isEqualTo("%PDF-1.7 tiny");
    assertThat(tooLarge.statusCode()).isEqualTo(400);
    assertThat(error(tooLarge).getInteger("code")).isEqualTo(131053);
    assertThat(error(tooLarge).getJsonObject("error_data").getString("details")).contains("too big");
    assertThat(error(unsupported).getInteger("code")).isEqualTo(131053);
    assertThat(wrongToken.statusCode()).isEqualTo(401);
    assertThat(error(wrongToken).getInteger("code")).isEqualTo(190);
  }

  HttpResponse<Buffer> upload(String token, Path file, String type) {
    MultipartForm form = MultipartForm.create().attribute("messaging_product", "whatsapp").attribute("type", type)
        .binaryFileUpload("file", file.getFileName().toString(), file.toString(), type);
    return await(client.postAbs(simulator.baseUrl() + "/v23.0/" + PHONE_ID + "/media")
        .putHeader("Authorization", "Bearer " + token).sendMultipartForm(form));
  }
}
