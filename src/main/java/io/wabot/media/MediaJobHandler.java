package io.wabot.media;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.wabot.observability.Correlation;
import io.wabot.observability.Events;
import io.wabot.queue.Commit;
import io.wabot.queue.Job;
import io.wabot.queue.JobHandler;
import io.wabot.queue.JobOutcome;
import io.wabot.queue.Keyspace;
import io.wabot.config.NumberConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code media} queue's download jobs ({@link MediaJobs}) with the {@link MediaDownloader}, and
 * leaves each final outcome where the customer's waiting turn reads it:
 * <ul>
 *   <li>stored: the outcome is written atomically with the job's acknowledgement;</li>
 *   <li>a {@linkplain MediaFailure#retryable() retryable} failure before the last attempt: retried with the
 *       queue's back-off (the turn keeps waiting);</li>
 *   <li>a final failure, or the last attempt: the outcome {@code failed} is written, then the job is
 *       dead-lettered with its reason, so an operator sees it and the conversation goes on without the file.</li>
 * </ul>
 */
public final class MediaJobHandler implements JobHandler {

  private static final Logger LOG = LoggerFactory.getLogger(MediaJobHandler.class);

  private final MediaDownloader downloader;
  private final Function<String, Optional<NumberConfig>> numbers;
  private final Redis redis;
  private final Keyspace keyspace;
  private final int maxAttempts;
  private final Duration outcomeTtl;

  public MediaJobHandler(MediaDownloader downloader, Redis redis, Keyspace keyspace, int maxAttempts, Duration retention) {
    this(downloader, id -> Optional.empty(), redis, keyspace, maxAttempts, retention);
  }

  /**
   * @param numbers the number a job's {@code number} names (the default one for null); empty when it is no longer
   *                served, and the download fails for good
   */
  public MediaJobHandler(MediaDownloader downloader, Function<String, Optional<NumberConfig>> numbers, Redis redis,
      Keyspace keyspace, int maxAttempts, Duration retention) {
    this.downloader = downloader;
    this.numbers = numbers;
    this.redis = redis;
    this.keyspace = keyspace;
    this.maxAttempts = maxAttempts;
    this.outcomeTtl = MediaJobs.outcomeTtl(retention);
  }

  /**
   * A download may take its downloader's longest run ({@link MediaDownloader#longestRun}: {@code media.downloadTimeout}
   * and {@code media.requestTimeout} for each request around it), longer than {@code queue.maxRunTime} by default
   * (13 minutes against 2): the queue waits that long rather than start the same download again beside the first.
   */
  @Override
  public Duration maxRunTime(Duration configured) {
    Duration own = downloader.longestRun();
    return own.compareTo(configured) > 0 ? own : configured;
  }

  @Override
  public Future<JobOutcome> handle(Job job) {
    JsonObject payload = job.payload();
    String messageId = payload.getString("messageId");
    MediaRef ref;
    try {
      ref = MediaJobs.ref(payload);
    } catch (IllegalArgumentException e) {
      return giveUp(job, messageId, MediaFailure.of(MediaFailure.Reason.REJECTED, e.getMessage()));
    }
    // The media belongs to the number the customer wrote to: downloaded with that number's token and id.
    String numberId = payload.getString("number");
    Optional<NumberConfig> number = numbers.apply(numberId);
    if (numberId != null && number.isEmpty()) {
      return giveUp(job, messageId, MediaFailure.of(MediaFailure.Reason.REJECTED, "number "
          + NumberConfig.labelFor(null, numberId) + " is no longer configured"));
    }
    long started = System.nanoTime();
    return alreadyStored(messageId).compose(done -> done ? Future.succeededFuture(JobOutcome.done())
        : downloader.download(ref, number.orElse(null), job.correlation())
            .compose(result -> outcome(job, messageId, result, started)));
  }

  /** A job run again after its acknowledgement was lost: the file is in the store already. */
  private Future<Boolean> alreadyStored(String messageId) {
    return redis.send(Request.cmd(Command.GET).arg(keyspace.key(MediaJobs.outcomeKey(messageId))))
        .map(r -> r != null && r.toString().contains("\"status\":\"" + MediaJobs.STATUS_STORED + "\""));
  }

  private Future<JobOutcome> outcome(Job job, String messageId, DownloadResult result, long started) {
    long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
    if (result instanceof DownloadResult.Stored stored) {
      return Future.succeededFuture(JobOutcome.done(Commit.none()
          .put(MediaJobs.outcomeKey(messageId), MediaJobs.stored(stored.media(), ms), outcomeTtl)));
    }
    MediaFailure failure = ((DownloadResult.Failed) result).failure();
    if (failure.retryable() && job.attempts() < maxAttempts) {
      return Future.succeededFuture(JobOutcome.retry(failure.reason().tag() + ": " + failure.detail()));
    }
    return giveUp(job, messageId, failure);
  }

  private Future<JobOutcome> giveUp(Job job, String messageId, MediaFailure failure) {
    Correlation correlation = job.correlation();
    Events.warn(LOG, "media.download_gave_up", correlation).addKeyValue("reason", failure.reason().tag())
        .addKeyValue("attempts", job.attempts())
        .log("Gave up on a customer's media after {} attempt(s): {}; the conversation goes on without it",
            job.attempts(), failure.reason().tag());
    if (messageId == null) {
      return Future.succeededFuture(JobOutcome.deadLetter(failure.reason().tag() + ": " + failure.detail()));
    }
    return redis.send(Request.cmd(Command.SET).arg(keyspace.key(MediaJobs.outcomeKey(messageId)))
            .arg(MediaJobs.failed(failure)).arg("PX").arg(outcomeTtl.toMillis()))
        .map(ok -> JobOutcome.deadLetter(failure.reason().tag() + ": " + failure.detail()));
  }
}
