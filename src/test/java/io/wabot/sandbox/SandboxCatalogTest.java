package io.wabot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisExtension;
import io.wabot.whatsapp.sync.GraphListSync;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With WHATSAPP_CATALOG_ID set, the sandbox's Graph API serves that catalog with the sample inventory's SKUs. */
class SandboxCatalogTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  @Test
  @DisplayName("the sender and the conversation worker sync every SKU of conf/catalog.json from the sandbox's simulated catalog")
  void senderSyncsTheSampleInventory() {
    try (LogCapture syncs = LogCapture.of(GraphListSync.class);
        SandboxApp sandbox = new SandboxApp(REDIS.url(), Map.of("WHATSAPP_CATALOG_ID", "367025965434465"), new JsonObject())) {
      assertThat(syncs.await("products.synced", 2)).as("the sender's and the conversation worker's sync: the 37 items of"
          + " conf/catalog.json").extracting(e -> LogCapture.value(e, "products")).containsOnly(37);
      assertThat(syncs.named("products.sync_failed")).isEmpty();
    }
  }
}
