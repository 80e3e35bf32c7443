package io.wabot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MediaConfigTest {

  @Test
  @DisplayName("the defaults: files in data/media for 30 days, 100 MiB at most, links valid 24 h, uploads reused 29 days")
  void defaults() {
    MediaConfig media = ConfigLoaderAccess.build(SenderConfigTest.env(), new JsonObject()).config().media();

    assertThat(media.store()).isEqualTo("filesystem");
    assertThat(media.dir()).isEqualTo(Path.of("data/media"));
    assertThat(media.retention()).isEqualTo(Duration.ofDays(30));
    assertThat(media.maxBytes()).isEqualTo(100L * 1024 * 1024);
    assertThat(media.urlLifetime()).isEqualTo(Duration.ofHours(24));
    assertThat(media.uploadReuse()).isEqualTo(Duration.ofDays(29));
    assertThat(media.signingKey()).isNull();
    assertThat(media.allowInsecureUrls()).isFalse();
    assertThat(media.usesS3()).isFalse();
  }

  @Test
  @DisplayName("an S3 store is configured from the environment, its keys kept as secrets")
  void s3FromEnvironment() {
    MediaConfig media = ConfigLoaderAccess.build(SenderConfigTest.env("MEDIA_STORE", "s3", "MEDIA_S3_BUCKET", "acme-media",
        "MEDIA_S3_ENDPOINT", "http://minio:9000/", "MEDIA_S3_PATH_STYLE", "true", "MEDIA_S3_ACCESS_KEY_ID", "AKIAEXAMPLE1234",
        "MEDIA_S3_SECRET_ACCESS_KEY", "wJalrXUtnFEMI-secret-0001"), new JsonObject()).config().media();

    assertThat(media.usesS3()).isTrue();
    assertThat(media.s3().bucket()).isEqualTo("acme-media");
    assertThat(media.s3().endpoint()).isEqualTo("http://minio:9000");
    assertThat(media.s3().pathStyle()).isTrue();
    assertThat(media.s3().secretAccessKey().toString()).doesNotContain("secret");
  }

  @Test
  @DisplayName("bad media settings are reported together, each with an example, secrets never quoted")
  void problems() {
    List<String> problems = catchThrowableOfType(ConfigException.class, () -> ConfigLoaderAccess.build(
        SenderConfigTest.env("MEDIA_STORE", "s3", "MEDIA_SIGNING_KEY", "too-short-secret", "MEDIA_MAX_BYTES", "200MiB",
            "MEDIA_S3_ACCESS_KEY_ID", "AKIAEXAMPLE1234", "MEDIA_URL_LIFETIME", "forever"), new JsonObject())).problems();

    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("MEDIA_S3_BUCKET: is missing; it is required when MEDIA_STORE=s3"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("MEDIA_S3_SECRET_ACCESS_KEY: is missing"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("MEDIA_SIGNING_KEY: must be at least 32 characters"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("MEDIA_MAX_BYTES: must be a size from 1024 to 104857600"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("MEDIA_URL_LIFETIME: must be a duration"));
    assertThat(String.join("\n", problems)).doesNotContain("too-short-secret").doesNotContain("AKIAEXAMPLE1234");
  }
}
