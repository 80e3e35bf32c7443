package io.wabot.config;

import static io.wabot.config.SenderConfigTest.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings of running several nodes: clustering, instance counts, Redis beyond one server. */
class ScaleOutConfigTest {

  @TempDir
  Path dir;

  private static AppConfig build(JsonObject file, String... env) {
    return ConfigLoaderAccess.build(env(env), file).config();
  }

  private static List<String> problems(JsonObject file, String... env) {
    return catchThrowableOfType(ConfigException.class, () -> ConfigLoaderAccess.build(env(env), file)).problems();
  }

  @Test
  @DisplayName("by default the cluster is off and, once switched on, looks for its members on loopback")
  void clusterDefaults() {
    ClusterConfig cluster = build(new JsonObject()).cluster();

    assertThat(cluster.enabled()).isFalse();
    assertThat(build(new JsonObject(), "CLUSTER", "true").cluster()).satisfies(on -> {
      assertThat(on.enabled()).isTrue();
      assertThat(on.members()).containsExactly("127.0.0.1");
      assertThat(on.host()).isEqualTo("127.0.0.1");
      assertThat(on.port()).isEqualTo(5701);
      assertThat(on.eventBusPort()).isZero();
      assertThat(on.name()).isEqualTo("whatsapp-chatbot");
      assertThat(on.fromFile()).isFalse();
    });
  }

  @Test
  @DisplayName("the members, host, ports and name come from the environment; a list is comma-separated")
  void clusterFromEnv() {
    ClusterConfig cluster = build(new JsonObject(), "CLUSTER", "true", "CLUSTER_MEMBERS", "10.0.0.5, 10.0.0.6:5702,bot-3.internal",
        "CLUSTER_HOST", "10.0.0.5", "CLUSTER_PORT", "5801", "CLUSTER_EVENTBUS_PORT", "5802", "CLUSTER_NAME", "acme-bot").cluster();

    assertThat(cluster.members()).containsExactly("10.0.0.5", "10.0.0.6:5702", "bot-3.internal");
    assertThat(cluster.host()).isEqualTo("10.0.0.5");
    assertThat(cluster.port()).isEqualTo(5801);
    assertThat(cluster.eventBusPort()).isEqualTo(5802);
    assertThat(cluster.name()).isEqualTo("acme-bot");
  }

  @Test
  @DisplayName("one event loop per core unless EVENT_LOOPS says otherwise; a negative count is refused")
  void eventLoops() {
    assertThat(build(new JsonObject()).mode().eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(build(new JsonObject(), "EVENT_LOOPS", "0").mode().eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(build(new JsonObject(), "EVENT_LOOPS", "6").mode().eventLoops()).isEqualTo(6);
    assertThat(problems(new JsonObject(), "EVENT_LOOPS", "-1")).singleElement().asString()
        .startsWith("EVENT_LOOPS: must be a whole number from 0 to 256");
  }

  @Test
  @DisplayName("CLUSTER_CONFIG names a Hazelcast file that must exist")
  void clusterFile() throws Exception {
    Path xml = Files.writeString(dir.resolve("cluster.xml"), "<hazelcast/>");

    assertThat(build(new JsonObject(), "CLUSTER", "true", "CLUSTER_CONFIG", xml.toString()).cluster().configFile())
        .isEqualTo(xml);
    assertThat(problems(new JsonObject(), "CLUSTER", "true", "CLUSTER_CONFIG", dir.resolve("missing.xml").toString()))
        .anySatisfy(p -> assertThat(p).startsWith("CLUSTER_CONFIG: names").contains("not a readable file"));
  }

  @Test
  @DisplayName("bad cluster settings are reported together, each with an example")
  void clusterProblems() {
    List<String> problems = problems(new JsonObject(), "CLUSTER", "true", "CLUSTER_MEMBERS", "10.0.0.5,not a host:x",
        "CLUSTER_HOST", "my-laptop", "CLUSTER_PORT", "70000", "CLUSTER_NAME", "two words");

    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("CLUSTER_MEMBERS: has \"not a host:x\"")
        .contains("CLUSTER_MEMBERS=10.0.0.5,10.0.0.6:5702"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("CLUSTER_HOST: must be an IP address"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("CLUSTER_PORT: must be a whole number from 1 to 65535"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("CLUSTER_NAME:"));
    assertThat(problems(new JsonObject("{\"cluster\": {\"members\": []}}"), "CLUSTER", "true"))
        .anySatisfy(p -> assertThat(p).startsWith("CLUSTER_MEMBERS: is empty"));
  }

  @Test
  @DisplayName("worker, sender and HTTP instance counts per node have environment overrides")
  void instanceCounts() {
    AppConfig config = build(new JsonObject(), "CONVERSATION_WORKERS", "3", "SENDER_INSTANCES", "2", "HTTP_INSTANCES", "4");

    assertThat(config.conversation().workerInstances()).isEqualTo(3);
    assertThat(config.sender().instances()).isEqualTo(2);
    assertThat(config.http().instances()).isEqualTo(4);
  }

  @Test
  @DisplayName("Redis is one server by default; sentinel mode takes several sentinels and the primary's name")
  void redisModes() {
    RedisConfig standalone = build(new JsonObject()).redis();
    assertThat(standalone.mode()).isEqualTo(RedisConfig.Mode.STANDALONE);
    assertThat(standalone.endpoints()).containsExactly("redis://localhost:6379");

    RedisConfig sentinel = build(new JsonObject(), "REDIS_MODE", "sentinel", "REDIS_MASTER_NAME", "mymaster",
        "REDIS_URL", "redis://10.0.0.7:26379, redis://10.0.0.8:26379,redis://10.0.0.9:26379").redis();
    assertThat(sentinel.mode()).isEqualTo(RedisConfig.Mode.SENTINEL);
    assertThat(sentinel.masterName()).isEqualTo("mymaster");
    assertThat(sentinel.endpoints()).containsExactly("redis://10.0.0.7:26379", "redis://10.0.0.8:26379", "redis://10.0.0.9:26379");

    RedisConfig cluster = build(new JsonObject(), "REDIS_MODE", "cluster", "REDIS_URL", "redis://10.0.0.7:7000,redis://10.0.0.8:7000").redis();
    assertThat(cluster.mode()).isEqualTo(RedisConfig.Mode.CLUSTER);
    assertThat(cluster.endpoints()).hasSize(2);
  }

  @Test
  @DisplayName("Redis modes are checked: several URLs need sentinel or cluster, sentinel needs the primary's name")
  void redisProblems() {
    assertThat(problems(new JsonObject(), "REDIS_URL", "redis://a:6379,redis://b:6379"))
        .anySatisfy(p -> assertThat(p).startsWith("REDIS_URL: lists 2 endpoints, but redis.mode is standalone"));
    assertThat(problems(new JsonObject(), "REDIS_MODE", "sentinel", "REDIS_URL", "redis://a:26379"))
        .anySatisfy(p -> assertThat(p).startsWith("REDIS_MASTER_NAME: is missing"));
    assertThat(problems(new JsonObject(), "REDIS_MODE", "replicated"))
        .anySatisfy(p -> assertThat(p).startsWith("REDIS_MODE: must be one of"));
    assertThat(problems(new JsonObject(), "REDIS_MODE", "cluster", "REDIS_URL", "redis://a:7000,http://b:7000"))
        .anySatisfy(p -> assertThat(p).startsWith("REDIS_URL: endpoint 2 of 2 must be a URL starting with"));
  }

  @Test
  @DisplayName("the password of every Redis endpoint is masked where settings are printed")
  void passwordsMasked() {
    var loaded = ConfigLoaderAccess.build(env("REDIS_MODE", "sentinel", "REDIS_MASTER_NAME", "mymaster",
        "REDIS_URL", "redis://:s3cret-one@a:26379,redis://user:s3cret-two@b:26379"), new JsonObject());

    String shown = loaded.describeSettings().get("redis.url");
    assertThat(shown).doesNotContain("s3cret").contains("redis://****@a:26379").contains("redis://****@b:26379");
  }
}
