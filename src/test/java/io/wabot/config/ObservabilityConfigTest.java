package io.wabot.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ObservabilityConfigTest {

  @Test
  @DisplayName("the defaults ship nothing, batch 500 events or 1 MiB per second, and alert on 250 MB of RSS")
  void defaults() throws IOException {
    AppConfig config = ConfigLoaderTest.build(new JsonObject(), ConfigLoaderTest.LIVE).config();

    assertThat(config.betterStack().enabled()).isFalse();
    assertThat(config.betterStack().heartbeatEnabled()).isFalse();
    assertThat(config.betterStack().batchSize()).isEqualTo(500);
    assertThat(config.betterStack().batchBytes()).isEqualTo(1024 * 1024);
    assertThat(config.betterStack().flushInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.alerts().rssThreshold()).isEqualTo(250_000_000L);
    assertThat(config.alerts().interval()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  @DisplayName("the heartbeat URL comes from BETTERSTACK_HEARTBEAT_URL and is masked in the settings report")
  void heartbeatFromEnv() throws IOException {
    String url = "https://uptime.betterstack.com/api/v1/heartbeat/abcdefghijklmnopqrstuvwx";
    LoadedConfig loaded = ConfigLoaderTest.build(new JsonObject(),
        ConfigLoaderTest.env(ConfigLoaderTest.LIVE, "BETTERSTACK_HEARTBEAT_URL", url));

    assertThat(loaded.config().betterStack().heartbeatUrl().value()).isEqualTo(url);
    assertThat(loaded.describeSettings().get("betterstack.heartbeatUrl")).isEqualTo("****uvwx (env)");
  }

  @Test
  @DisplayName("a malformed heartbeat URL is reported by its variable without quoting the value")
  void badHeartbeatUrl() {
    List<String> problems = ConfigLoaderTest.problemsOf(new JsonObject(),
        ConfigLoaderTest.env(ConfigLoaderTest.LIVE, "BETTERSTACK_HEARTBEAT_URL", "ftp://secret-heartbeat-token"));

    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p).startsWith("BETTERSTACK_HEARTBEAT_URL: must be a URL starting with").contains("https://").contains("(value hidden)");
      assertThat(p).doesNotContain("secret-heartbeat-token");
    });
  }

  @Test
  @DisplayName("sizes in MB are powers of 1000, and inconsistent buffer sizes are refused")
  void sizes() {
    List<String> problems = ConfigLoaderTest.problemsOf(new JsonObject()
            .put("betterstack", new JsonObject().put("batchBytes", "64KiB").put("maxEventSize", "100KiB").put("bufferBytes", "32KiB"))
            .put("alerts", new JsonObject().put("rssThreshold", "lots")),
        ConfigLoaderTest.LIVE);

    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("betterstack.maxEventSize: must not be larger than betterstack.batchBytes"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("betterstack.bufferBytes: must be at least betterstack.batchBytes"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("alerts.rssThreshold: must be a size").contains("MB"));
    assertThat(ConfigReader.parseSize("250MB")).isEqualTo(250_000_000L);
    assertThat(ConfigReader.parseSize("64KiB")).isEqualTo(65_536L);
  }
}
