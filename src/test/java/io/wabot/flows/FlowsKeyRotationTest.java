package io.wabot.flows;

import io.wabot.Application;
import io.wabot.config.FlowsKey;
import io.wabot.sandbox.FlowsClientSimulator.Exchange;
import io.wabot.sandbox.FlowsClientSimulator;
import io.wabot.testing.KeyFiles;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

class FlowsKeyRotationTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  @TempDir
  Path dir;

  private static Map<String, String> env(Path key) {
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    if (key != null) {
      env.put("WHATSAPP_FLOWS_PRIVATE_KEY", key.toString());
    }
    return env;
  }

  @Test
  @DisplayName("after a key switch, requests for the old key get 421; Meta's client fetches the new public key and succeeds")
  void rotation() throws Exception {
    Path oldFile = KeyFiles.plain(dir, "old.pem");
    Path newFile = KeyFiles.plain(dir, "new.pem");
    FlowsKey oldKey = FlowsKey.read(KeyFiles.read(oldFile), null);
    FlowsKey newKey = FlowsKey.read(KeyFiles.read(newFile), null);
    AtomicReference<RSAPublicKey> uploaded = new AtomicReference<>(oldKey.publicKey());

    Application before = TestApps.start(TestApps.config(env(oldFile), new io.vertx.core.json.JsonObject()));
    try {
      FlowsClientSimulator meta = new FlowsClientSimulator(before.vertx(), "http://127.0.0.1:" + before.httpPort(),
          TestApps.APP_SECRET, uploaded::get);
      assertThat(await(meta.ping()).status()).isEqualTo(200);
    } finally {
      TestApps.stop(before);
    }

    Application after = TestApps.start(TestApps.config(env(newFile), new io.vertx.core.json.JsonObject()));
    try {
      String url = "http://127.0.0.1:" + after.httpPort();
      FlowsClientSimulator stale = new FlowsClientSimulator(after.vertx(), url, TestApps.APP_SECRET, oldKey::publicKey);
      Exchange refused = await(stale.ping());
      assertThat(refused.status()).isEqualTo(421);
      assertThat(refused.answer()).isNull();

      FlowsClientSimulator meta = new FlowsClientSimulator(after.vertx(), url, TestApps.APP_SECRET, uploaded::get);
      uploaded.set(newKey.publicKey()); // scripts/flows-keys uploaded the new public key
      Exchange retried = await(meta.ping());
      assertThat(retried.status()).isEqualTo(200);
      assertThat(retried.refetched()).isTrue();
      assertThat(retried.data().getString("status")).isEqualTo("active");
    } finally {
      TestApps.stop(after);
    }
  }

  @Test
  @DisplayName("without WHATSAPP_FLOWS_PRIVATE_KEY there is no /flows: 404")
  void offWithoutKey() throws Exception {
    Application app = TestApps.start(TestApps.config(env(null), new io.vertx.core.json.JsonObject()));
    try {
      String body = "{}";
      assertThat(Webhooks.get(app.httpPort(), "/flows").statusCode()).isEqualTo(404);
      java.net.http.HttpResponse<String> post = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
          .newBuilder(java.net.URI.create("http://127.0.0.1:" + app.httpPort() + "/flows"))
          .header("X-Hub-Signature-256", Webhooks.sign(body))
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(404);
    } finally {
      TestApps.stop(app);
    }
  }
}
