package io.wabot.conversation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.media.ReceivedMedia;
import java.util.HashMap;
import java.util.Map;

/**
 * The files the customer sent lately, kept in the conversation's context (under {@value #KEY}) so that the
 * person who takes over a hand-off gets each of them as a link, as they get the customer's recent texts.
 * Only descriptions are kept (store id, type, size, caption), never the bytes or a link: links are signed
 * when the team is told, so they expire counting from then.
 */
public final class RecentMedia {

  /** Context key; the {@code core.} prefix keeps it apart from the flows' own notes. */
  static final String KEY = "core.media";
  static final int KEPT = 5;

  private RecentMedia() {
  }

  /** The state with this file among the recent ones (the oldest dropped beyond {@value #KEPT}); failed ones are noted too. */
  static ConversationState remember(ConversationState state, ReceivedMedia media) {
    JsonArray items = of(state).add(media.describe());
    JsonArray kept = new JsonArray();
    for (int i = Math.max(0, items.size() - KEPT); i < items.size(); i++) {
      kept.add(items.getValue(i));
    }
    Map<String, String> context = new HashMap<>(state.context());
    context.put(KEY, kept.encode());
    return state.withContext(context);
  }

  /** The recent files' descriptions ({@link ReceivedMedia#describe()}), oldest first. */
  public static JsonArray of(ConversationState state) {
    String stored = state == null ? null : state.context(KEY);
    if (stored == null) {
      return new JsonArray();
    }
    try {
      JsonArray items = new JsonArray(stored);
      JsonArray objects = new JsonArray();
      for (int i = 0; i < items.size(); i++) {
        if (items.getValue(i) instanceof JsonObject item) {
          objects.add(item);
        }
      }
      return objects;
    } catch (RuntimeException e) {
      return new JsonArray(); // unreadable notes never stop a hand-off
    }
  }
}
