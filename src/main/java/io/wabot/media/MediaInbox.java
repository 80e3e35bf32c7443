package io.wabot.media;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.wabot.customer.CustomerIdentity;
import io.wabot.observability.Events;
import io.wabot.queue.Job;
import io.wabot.queue.JobQueue;
import io.wabot.queue.Keyspace;
import io.wabot.whatsapp.inbound.InboundMessage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the conversation engine gets a media message's file before its turn runs. The first time the
 * message reaches the head of its conversation, its download job goes to the {@code media} queue; while
 * the job runs, the message stays at the head (the engine postpones it, which counts no attempt), so the
 * customer's later texts wait behind it and every turn runs in the order the customer wrote.
 *
 * <p>A download ends stored or failed ({@link MediaJobHandler}); either way the turn then runs and the flow
 * learns which. A download that has not ended after {@code media.turnWait} (a lost job, a stopped media
 * worker) counts as failed, so no conversation waits for ever.
 */
public final class MediaInbox {

  private static final Logger LOG = LoggerFactory.getLogger(MediaInbox.class);

  /** How often a waiting media message looks for its download's outcome. */
  public static final Duration POLL = Duration.ofMillis(300);

  private final Redis redis;
  private final Keyspace keyspace;
  private final JobQueue downloads;
  private final MediaStore store;
  private final Duration turnWait;

  public MediaInbox(Redis redis, Keyspace keyspace, JobQueue downloads, MediaStore store, Duration turnWait) {
    this.redis = redis;
    this.keyspace = keyspace;
    this.downloads = downloads;
    this.store = store;
    this.turnWait = turnWait;
  }

  /** The message's file, stored or failed; empty while its download is still running (postpone the turn). */
  public Future<Optional<ReceivedMedia>> receive(Job job, InboundMessage.Media message, CustomerIdentity customer) {
    return redis.send(Request.cmd(Command.GET).arg(keyspace.key(MediaJobs.outcomeKey(message.id())))).compose(found -> {
      if (found != null) {
        return Future.succeededFuture(Optional.of(fromOutcome(message, new JsonObject(found.toString()))));
      }
      MediaRef ref;
      try {
        ref = MediaRef.of(message);
      } catch (IllegalArgumentException e) {
        return Future.succeededFuture(Optional.of(failed(message, MediaFailure.of(MediaFailure.Reason.REJECTED, e.getMessage()))));
      }
      return waitedTooLong(job, message).compose(late -> late
          ? Future.succeededFuture(Optional.of(failed(message, MediaFailure.of(MediaFailure.Reason.TRANSPORT,
              "not downloaded within media.turnWait (" + turnWait + ")"))))
          : queue(job, message, ref, customer));
    });
  }

  /**
   * Whether {@code media.turnWait} has passed since the turn first waited for this file (not since the message
   * arrived: after a backlog, a message may wait in the queue longer than that before its download starts).
   */
  private Future<Boolean> waitedTooLong(Job job, InboundMessage.Media message) {
    String key = keyspace.key(MediaJobs.waitKey(message.id()));
    long deadline = job.claimedAtMs() + turnWait.toMillis();
    return redis.send(Request.cmd(Command.SET).arg(key).arg(deadline).arg("NX").arg("PX")
            .arg(turnWait.plusDays(1).toMillis()))
        .compose(set -> set != null ? Future.succeededFuture(false)
            : redis.send(Request.cmd(Command.GET).arg(key)).map(stored -> stored != null
                && job.claimedAtMs() >= Long.parseLong(stored.toString())));
  }

  private Future<Optional<ReceivedMedia>> queue(Job job, InboundMessage.Media message, MediaRef ref,
      CustomerIdentity customer) {
    // Stored once: a later look while it runs is a duplicate the queue skips.
    return downloads.enqueue(List.of(MediaJobs.download(message.id(), ref, customer.key(), job.correlation(),
        message.meta().phoneNumberId())))
        .map(ids -> {
          if (!ids.isEmpty()) {
            Events.info(LOG, "media.download_queued", job.correlation()).addKeyValue("kind", ref.kind().wireName())
                .log("The customer's {} waits for its download; their later messages wait behind it", ref.kind().wireName());
          }
          return Optional.empty();
        });
  }

  private ReceivedMedia fromOutcome(InboundMessage.Media message, JsonObject outcome) {
    if (MediaJobs.STATUS_STORED.equals(outcome.getString("status"))) {
      StoredMedia file = StoredMedia.fromJson(outcome.getJsonObject("media"));
      return new ReceivedMedia(file.kind(), file.mimeType(), message.caption(), message.filename(), message.voice(), file,
          null, outcome.getLong("downloadMs", 0L), store);
    }
    MediaFailure.Reason reason;
    try {
      reason = MediaFailure.Reason.valueOf(outcome.getString("reason"));
    } catch (RuntimeException e) {
      reason = MediaFailure.Reason.REJECTED;
    }
    return failed(message, MediaFailure.of(reason, outcome.getString("detail")));
  }

  private ReceivedMedia failed(InboundMessage.Media message, MediaFailure failure) {
    MediaKind kind = MediaKind.fromWireName(message.kind()).orElse(MediaKind.DOCUMENT);
    return new ReceivedMedia(kind, MediaKind.baseType(message.mimeType()), message.caption(), message.filename(),
        message.voice(), null, failure, 0, store);
  }
}
