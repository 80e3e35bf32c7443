package io.wabot.media;

import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A file in the {@link MediaStore}: a customer's photo, voice note, video, document or sticker, or a
 * file the bot sends.
 *
 * @param id       the store's id: 32 random URL-safe characters, unguessable, so ids never enumerate
 * @param kind     image, audio, video, document or sticker
 * @param mimeType its MIME type, without parameters
 * @param size     its length in bytes
 * @param sha256   the lowercase hex SHA-256 of its bytes
 * @param filename the customer's file name (documents), or null
 * @param sourceId the media id Meta gave it, or null
 * @param storedAt when it was stored; the retention period counts from here
 */
public record StoredMedia(String id, MediaKind kind, String mimeType, long size, String sha256, String filename,
    String sourceId, Instant storedAt) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  public static StoredMedia of(String id, MediaDraft draft, Instant storedAt) {
    return new StoredMedia(id, draft.kind(), draft.mimeType(), draft.size(), draft.sha256(), draft.filename(),
        draft.sourceId(), storedAt);
  }

  /** A fresh id: 24 random bytes, base64url. */
  public static String newId() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether {@code id} has the shape of an id, checked before any store is asked (so no path tricks reach it). */
  public static boolean isId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public MediaDraft draft() {
    return new MediaDraft(kind, mimeType, size, sha256, filename, sourceId);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("kind", kind.wireName()).put("mimeType", mimeType).put("size", size)
        .put("sha256", sha256).put("filename", filename).put("sourceId", sourceId)
        .put("storedAt", storedAt.toEpochMilli());
  }

  public static StoredMedia fromJson(JsonObject json) {
    return new StoredMedia(json.getString("id"),
        MediaKind.fromWireName(json.getString("kind")).orElse(MediaKind.DOCUMENT),
        json.getString("mimeType"), json.getLong("size"), json.getString("sha256"), json.getString("filename"),
        json.getString("sourceId"), Instant.ofEpochMilli(json.getLong("storedAt")));
  }
}
