package io.wabot.whatsapp.inbound;

import io.vertx.core.json.JsonObject;

/**
 * The click-to-WhatsApp ad or Facebook/Instagram post a customer tapped to start writing, as Meta's
 * {@code referral} object on their first message names it. Kept in the conversation state and given to
 * the team in hand-off events, so a sale can be traced back to the ad that brought it.
 *
 * @param sourceType {@code ad} or {@code post}
 * @param sourceId   the ad's or post's id
 * @param sourceUrl  the URL of the ad or post
 * @param headline   the ad's headline, or null
 * @param body       the ad's text, or null
 * @param mediaType  {@code image} or {@code video}, or null
 * @param ctwaClid   the click id (Meta's {@code ctwa_clid}) for reporting the conversion back to Meta
 */
public record Referral(String sourceType, String sourceId, String sourceUrl, String headline, String body, String mediaType,
    String ctwaClid) {

  /** The referral of a message object, or null when it has none (or one naming nothing). */
  static Referral of(Object value) {
    if (!(value instanceof JsonObject json)) {
      return null;
    }
    Referral referral = new Referral(Senders.text(json, "source_type"), Senders.text(json, "source_id"),
        Senders.text(json, "source_url"), Senders.text(json, "headline"), Senders.text(json, "body"),
        Senders.text(json, "media_type"), Senders.text(json, "ctwa_clid"));
    return referral.sourceId() == null && referral.sourceUrl() == null && referral.ctwaClid() == null ? null : referral;
  }

  public JsonObject toJson() {
    return new JsonObject().put("sourceType", sourceType).put("sourceId", sourceId).put("sourceUrl", sourceUrl)
        .put("headline", headline).put("body", body).put("mediaType", mediaType).put("ctwaClid", ctwaClid);
  }

  /** The referral stored by {@link #toJson()}; null for null. */
  public static Referral fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    return new Referral(json.getString("sourceType"), json.getString("sourceId"), json.getString("sourceUrl"),
        json.getString("headline"), json.getString("body"), json.getString("mediaType"), json.getString("ctwaClid"));
  }
}
