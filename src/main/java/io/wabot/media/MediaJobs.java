package io.wabot.media;

import io.vertx.core.json.JsonObject;
import io.wabot.observability.Correlation;
import io.wabot.queue.NewJob;
import java.time.Duration;

/**
 * The {@code media} queue's download jobs and the outcome they leave for the conversation.
 *
 * <p>A customer's media message waits at the head of their conversation until its download job has
 * ended: the job writes {@code media:outcome:<wamid>} ({@link #outcomeKey}), {@code stored} with the
 * file's description or {@code failed} with the reason, and the conversation turn reads it. Each download
 * is its own conversation of the {@code media} queue ({@code media:<wamid>}), so downloads of one customer
 * run side by side while their turns still run in order.
 */
public final class MediaJobs {

  static final String STATUS_STORED = "stored";
  static final String STATUS_FAILED = "failed";

  private MediaJobs() {
  }

  /**
   * The download of one inbound message's media; the id is the message's, so a repeat is stored once.
   *
   * @param number the business number the message came to ({@code phone_number_id}): the media is its, and is
   *               downloaded with its token; null for the default number
   */
  public static NewJob download(String messageId, MediaRef ref, String customerKey, Correlation correlation,
      String number) {
    JsonObject data = new JsonObject().put("messageId", messageId).put("customer", customerKey)
        .put("mediaId", ref.mediaId()).put("kind", ref.kind().wireName()).put("mimeType", ref.mimeType())
        .put("filename", ref.filename());
    if (number != null) {
      data.put("number", number);
    }
    return NewJob.of(messageId + ":media", "media:" + messageId, correlation, data);
  }

  static MediaRef ref(JsonObject payload) {
    MediaKind kind = MediaKind.fromWireName(payload.getString("kind"))
        .orElseThrow(() -> new IllegalArgumentException("not a media kind: " + payload.getString("kind")));
    return new MediaRef(payload.getString("mediaId"), kind, payload.getString("mimeType"), payload.getString("filename"));
  }

  /** Key (relative to the keyspace) of the outcome of a message's download. */
  public static String outcomeKey(String messageId) {
    return "media:outcome:" + messageId;
  }

  /** Key of the time after which a media message stops waiting for its download (set when it first waits). */
  static String waitKey(String messageId) {
    return "media:wait:" + messageId;
  }

  static String stored(StoredMedia media, long downloadMs) {
    return new JsonObject().put("status", STATUS_STORED).put("media", media.toJson()).put("downloadMs", downloadMs)
        .encode();
  }

  static String failed(MediaFailure failure) {
    return new JsonObject().put("status", STATUS_FAILED).put("reason", failure.reason().name())
        .put("detail", failure.detail()).encode();
  }

  /** How long an outcome is kept: long enough for the turn that waits on it, never past the file's retention. */
  static Duration outcomeTtl(Duration retention) {
    Duration week = Duration.ofDays(7);
    return retention.compareTo(week) < 0 ? retention : week;
  }
}
