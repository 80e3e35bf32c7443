package io.wabot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabot.testing.RedisExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar refuses a broken catalog at start-up the way it refuses a bad setting. */
class ConversationFilesIT {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  @TempDir
  Path dir;

  @Test
  @DisplayName("a catalog with a bad item stops start-up with status 78 and one line naming the item and field")
  void brokenCatalog() throws Exception {
    Path catalog = dir.resolve("catalog.json");
    Files.writeString(catalog, """
        {"categories": [{"id": "audio", "name": "Audio"}],
         "items": [{"sku": "AUD-1", "name": "Headphones", "category": "audio", "stock": "ten",
                    "priceBand": {"min": 10, "max": 20, "currency": "USD"}}]}""");
    ProcessBuilder builder = new ProcessBuilder("java", "@conf/jvm.options", "-jar", System.getProperty("app.jar"))
        .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().put("SANDBOX", "true");
    builder.environment().put("REDIS_URL", REDIS.url());
    builder.environment().put("CATALOG_PATH", catalog.toString());
    Process process = builder.start();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exited").isTrue();
    assertThat(process.exitValue()).isEqualTo(78);
    assertThat(Files.readString(dir.resolve("stderr"))).contains(catalog + ": item AUD-1: \"stock\" must be a whole number, 0 or more");
  }
}
