package io.wabot.config;

import static io.wabot.config.ConfigLoaderTest.LIVE;
import static io.wabot.config.ConfigLoaderTest.env;
import static io.wabot.config.ConfigLoaderTest.problemsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The settings of issue 14: every malformed REDIS_URL, the ingress limits, METRICS_TOKEN, the in-doubt grace. */
class HostileTrafficConfigTest {

  @ParameterizedTest(name = "{0}")
  @DisplayName("a malformed REDIS_URL is one line naming what is wrong, without the password")
  @CsvSource(delimiter = '|', value = {
      "redis://:s3cret@redis.internal:6379/abc | selects database \"abc\"; a database is a number",
      "redis://:s3cret@redis.internal:63x9/0   | has port \"63x9\"; a port is a number from 1 to 65535",
      "redis://:s3cret@redis.internal:99999    | has port \"99999\"; a port is a number from 1 to 65535",
      "redis://redis.internal:6379/?db=two     | selects database \"two\"",
      "http://redis.internal:6379              | must be a URL starting with redis://, rediss:// (TLS) or unix://, not http://",
      "redis.internal:6379                     | must be a URL starting with redis://",
      "redis://:pa ss@redis.internal:6379      | is not a valid URL (Illegal character",
      "redis://:s3cret@/0                      | names no valid host",
      "redis://:s3cr%zzet@redis.internal:6379  | is not a valid URL",
      "unix://                                 | is not a valid URL",
  })
  void malformedRedisUrl(String url, String expected) {
    List<String> problems = problemsOf(new JsonObject(), env(LIVE, "REDIS_URL", url));
    assertThat(problems).singleElement().satisfies(line -> assertThat(line)
        .startsWith("REDIS_URL: ").contains(expected).contains("Example: REDIS_URL=redis://localhost:6379")
        .doesNotContain("s3cret").doesNotContain("pa ss").doesNotContain("\n"));
  }

  @Test
  @DisplayName("Redis Cluster has only database 0; one bad endpoint of several is named by its position")
  void clusterAndLists() throws IOException {
    assertThat(problemsOf(new JsonObject(), env(LIVE, "REDIS_MODE", "cluster", "REDIS_URL", "redis://a:7000/3,redis://b:7001")))
        .singleElement().satisfies(line -> assertThat(line)
            .startsWith("REDIS_URL: endpoint 1 of 2 selects database 3, but a Redis Cluster has database 0 only"));
    assertThat(problemsOf(new JsonObject(), env(LIVE, "REDIS_MODE", "sentinel", "REDIS_MASTER_NAME", "mymaster",
        "REDIS_URL", "redis://a:26379,redis://b:2637x"))).singleElement()
        .satisfies(line -> assertThat(line).startsWith("REDIS_URL: endpoint 2 of 2 has port \"2637x\""));
    assertThat(ConfigLoaderTest.build(new JsonObject(), env(LIVE, "REDIS_URL", "rediss://user:pw@redis.example.com:6380/2"))
        .config().redis().url()).isEqualTo("rediss://user:pw@redis.example.com:6380/2");
    assertThat(ConfigLoaderTest.build(new JsonObject(), env(LIVE, "REDIS_URL", "unix:///run/redis/redis.sock?db=1"))
        .config().redis().url()).isEqualTo("unix:///run/redis/redis.sock?db=1");
  }

  @Test
  @DisplayName("the webhook body budget is sized from the heap by default, and must hold one largest body")
  void bodyBudget() throws IOException {
    AppConfig defaults = ConfigLoaderTest.build(new JsonObject(), LIVE).config();
    assertThat(defaults.http().webhookBodyBudget())
        .isEqualTo(Math.max(3L * 1024 * 1024, Runtime.getRuntime().maxMemory() / HttpConfig.HEAP_SHARE));
    assertThat(defaults.http().headerTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.http().metricsToken()).isNull();

    assertThat(problemsOf(new JsonObject().put("http", new JsonObject().put("webhookBodyBudget", "1MiB")), LIVE))
        .singleElement().satisfies(line -> assertThat(line).startsWith("http.webhookBodyBudget: must hold at least one body"));
  }

  @Test
  @DisplayName("METRICS_TOKEN is a secret of at least 16 characters; the in-doubt grace is shorter than a job's run time")
  void metricsTokenAndGrace() throws IOException {
    Map<String, String> env = env(LIVE, "METRICS_TOKEN", "metrics-token-0123456789");
    LoadedConfig loaded = ConfigLoaderTest.build(new JsonObject(), env);
    assertThat(loaded.config().http().metricsToken().value()).isEqualTo("metrics-token-0123456789");
    assertThat(loaded.describeSettings().get("http.metricsToken")).isEqualTo("****6789 (env)");

    assertThat(problemsOf(new JsonObject(), env(LIVE, "METRICS_TOKEN", "short"))).singleElement()
        .satisfies(line -> assertThat(line).startsWith("METRICS_TOKEN: must be at least 16 characters").doesNotContain("short\""));
    assertThat(problemsOf(new JsonObject("{\"sender\": {\"inDoubtGrace\": \"1m\"}, \"queue\": {\"maxRunTime\": \"30s\"}}"), LIVE))
        .singleElement().satisfies(line -> assertThat(line).startsWith("sender.inDoubtGrace: must be shorter than queue.maxRunTime (30s)"));
  }
}
