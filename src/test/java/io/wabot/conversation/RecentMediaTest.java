package io.wabot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.media.MediaFailure;
import io.wabot.media.MediaKind;
import io.wabot.media.ReceivedMedia;
import io.wabot.media.StoredMedia;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the conversation keeps of the customer's files for the person who takes over. */
class RecentMediaTest {

  static ReceivedMedia photo(int n) {
    StoredMedia file = new StoredMedia(StoredMedia.newId(), MediaKind.IMAGE, "image/jpeg", 1000 + n, "ab".repeat(32), null,
        "media-" + n, Instant.EPOCH);
    return new ReceivedMedia(MediaKind.IMAGE, "image/jpeg", "photo " + n, null, false, file, null, 12, null);
  }

  @Test
  @DisplayName("the last five files are kept, oldest first, described without bytes or links; a failed one says why")
  void lastFive() {
    ConversationState state = ConversationState.start("c1", "Sam", "en", Instant.EPOCH);
    for (int n = 1; n <= 6; n++) {
      state = RecentMedia.remember(state, photo(n));
    }
    state = RecentMedia.remember(state, new ReceivedMedia(MediaKind.DOCUMENT, "application/pdf", null, "list.pdf", false,
        null, MediaFailure.of(MediaFailure.Reason.NOT_FOUND, "expired"), 0, null));

    assertThat(RecentMedia.of(state).stream().map(item -> ((JsonObject) item).getString("caption")))
        .containsExactly("photo 3", "photo 4", "photo 5", "photo 6", null);
    JsonObject failed = RecentMedia.of(state).getJsonObject(4);
    assertThat(failed.getString("failure")).isEqualTo("not_found");
    assertThat(failed.getString("filename")).isEqualTo("list.pdf");
    assertThat(RecentMedia.of(state).getJsonObject(0).fieldNames()).doesNotContain("url", "sha256");
  }

  @Test
  @DisplayName("unreadable notes in the context give no files rather than a failed hand-off")
  void unreadable() {
    Map<String, String> context = new HashMap<>();
    context.put(RecentMedia.KEY, "not json [");
    ConversationState state = ConversationState.start("c1", "Sam", "en", Instant.EPOCH).withContext(context);
    assertThat(RecentMedia.of(state)).isEmpty();
    assertThat(RecentMedia.of(null)).isEmpty();
  }
}
