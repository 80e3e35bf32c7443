package io.wabot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.config.AppConfig;
import io.wabot.whatsapp.sync.GraphListSync;
import io.wabot.whatsapp.sync.SyncedLists;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With WHATSAPP_CATALOG_ID set, the sandbox's Graph API serves that catalog with the sample inventory's SKUs. */
class SandboxCatalogTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  @Test
  @DisplayName("every SKU of conf/catalog.json is synced from the sandbox's simulated catalog once per process, for the"
      + " sender and the conversation worker alike")
  void senderSyncsTheSampleInventory() {
    try (LogCapture syncs = LogCapture.of(GraphListSync.class);
        SandboxApp sandbox = new SandboxApp(REDIS.url(), Map.of("WHATSAPP_CATALOG_ID", "367025965434465"), new JsonObject())) {
      // Started means the sender and the worker both have their catalog: each waited for its first sync.
      assertThat(syncs.named("products.synced")).as("one sync for the process: the 37 items of conf/catalog.json")
          .singleElement().satisfies(e -> assertThat(LogCapture.value(e, "products")).isEqualTo(37));
      AppConfig config = sandbox.app.config();
      assertThat(SyncedLists.of(sandbox.app.vertx(), config.whatsapp()).catalog(config.whatsapp().defaultNumber()).size())
          .isEqualTo(37);
      assertThat(syncs.named("products.sync_failed")).isEmpty();
    }
  }
}
