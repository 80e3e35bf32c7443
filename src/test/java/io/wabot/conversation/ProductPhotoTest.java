package io.wabot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.testing.RedisExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The sales example's item view with the product's photo, when the catalog names one. */
class ProductPhotoTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();
  static final String PHOTO = "https://shop.example.com/img/aud-004.jpg";

  @TempDir
  Path temp;

  @Test
  @DisplayName("an item whose catalog entry names a photo is shown with it first, then its details and buttons")
  void photoAboveTheDetails() throws Exception {
    JsonObject catalog = new JsonObject(Files.readString(Path.of("conf/catalog.json")));
    JsonArray items = catalog.getJsonArray("items");
    for (int i = 0; i < items.size(); i++) {
      if ("AUD-004".equals(items.getJsonObject(i).getString("sku"))) {
        items.getJsonObject(i).put("image", PHOTO);
      }
    }
    Path file = temp.resolve("catalog.json");
    Files.writeString(file, catalog.encode());
    ChatHarness chat = new ChatHarness(REDIS.url(), new JsonObject().put("catalogPath", file.toString()));
    try {
      Customer sam = chat.customer("16505551234", "Sam Taylor");
      sam.says("hi").says("AUD-004");
      List<JsonObject> replies = sam.lastReplies();
      assertThat(replies).hasSize(2);
      assertThat(replies.get(0).getString("type")).isEqualTo("image");
      assertThat(replies.get(0).getJsonObject("image").getString("link")).isEqualTo(PHOTO);
      assertThat(replies.get(0).getJsonObject("image").getString("caption")).isEqualTo("Volta Studio Headphones");
      assertThat(replies.get(1).getJsonObject("interactive").getJsonObject("body").getString("text")).contains("US$149");

      sam.says("AUD-001"); // no photo named: the details alone
      assertThat(sam.lastReplies()).hasSize(1);

      // the buttons after the photo are still what a typed number picks: "1" reserves
      sam.says("AUD-004").says("1").botReplies(reply -> assertThat(reply.encode()).contains("Volta Studio Headphones"));
    } finally {
      chat.close();
    }
  }
}
