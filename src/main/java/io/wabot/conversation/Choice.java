package io.wabot.conversation;

import io.vertx.core.json.JsonObject;

/**
 * One option the bot offers: a reply button or a list row. The customer taps it (and the bot receives
 * {@code id}), or types its number or title.
 *
 * @param id          what the bot receives, namespaced by flow: {@code sales:item:AUD-001}, {@code core:agent}
 * @param title       what the customer sees; shortened to the Cloud API limit when sent
 * @param description a list row's second line, or null
 */
public record Choice(String id, String title, String description) {

  public static Choice of(String id, String title) {
    return new Choice(id, title, null);
  }

  JsonObject toJson() {
    return new JsonObject().put("id", id).put("title", title);
  }

  static Choice fromJson(JsonObject json) {
    return new Choice(json.getString("id"), json.getString("title", ""), null);
  }
}
